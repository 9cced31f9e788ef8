export * from '../dist/kernel-lib/src/index';
