// Prints a thank-you banner, as core-js does.
console.log('Thank you for using core-js-style!');
