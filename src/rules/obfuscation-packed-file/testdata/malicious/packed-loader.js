// Mimics packed npm droppers (the p,a,c,k,e,d packer wrapped around a loader, as seen in
// typosquat swarms): the real code is a word list rebuilt at run time. Defanged: it only logs.
eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--){d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];e=function(){return'\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('0.1(\'2\')',3,3,'console|log|fixture'.split('|'),0,{}))
