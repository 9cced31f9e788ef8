// The panel ↔ kernel protocol is owned by the kernel library; this module is the extension's one door to it.
export * from '../../kernel-lib/src/protocol';
