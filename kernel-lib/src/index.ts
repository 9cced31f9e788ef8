/**
 * Pairs Lab kernel library: the one entry point for notebooks and for the panel's kernel.
 * @packageDocumentation
 */
export const version = '0.1.0';
