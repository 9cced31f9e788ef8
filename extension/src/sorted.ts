// Binary search over sorted times: one implementation, the kernel library's (pure, no Node imports).
export { lowerBound } from '../../kernel-lib/src/analysis/sorted';
