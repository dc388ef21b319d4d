'use strict';

const camelCase = (text) => String(text).toLowerCase().replace(/[-_\s]+(.)?/g, (_, ch) => (ch ? ch.toUpperCase() : ''));
const kebabCase = (text) => String(text).replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[\s_]+/g, '-').toLowerCase();

module.exports = { camelCase, kebabCase };
