// Package entry: the library is compiled with the rest of the workspace into ../dist (npm run build).
module.exports = require('../dist/kernel-lib/src/index.js');
