// The borrowed-stars package's code: nothing to do with express.
module.exports = () => console.log('FIXTURE');
