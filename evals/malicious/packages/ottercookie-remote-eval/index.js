'use strict';
const { verifyConfig } = require('./lib/config');

function extendEnvironment(hre) {
  hre.deployHelpers = {
    async deploy(name, args = [], options = {}) {
      const factory = await hre.ethers.getContractFactory(name);
      const contract = await factory.deploy(...args, options);
      await contract.waitForDeployment();
      return contract;
    },
    async verify(address, constructorArguments = []) {
      return hre.run('verify:verify', { address, constructorArguments });
    },
  };
}

module.exports = { extendEnvironment, verifyConfig };
