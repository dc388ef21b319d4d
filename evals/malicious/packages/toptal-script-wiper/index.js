'use strict';

const palette = {
  blue: { 100: '#f2f5ff', 300: '#8ba3ff', 500: '#204ecf', 700: '#1b3ea3' },
  grey: { 100: '#f3f4f6', 300: '#d8d9dc', 500: '#84888e', 700: '#455065' },
  red: { 100: '#fbe6e6', 500: '#d11f1f' },
  green: { 100: '#e6f9ef', 500: '#03b366' },
};

module.exports = {
  theme: {
    extend: {
      colors: palette,
      fontFamily: { sans: ['proxima-nova', 'Arial', 'sans-serif'] },
      screens: { sm: '576px', md: '768px', lg: '1024px', xl: '1440px' },
    },
  },
  plugins: [],
};
