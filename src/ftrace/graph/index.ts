/** Return hooking (function graph): ftrace_graph_func, return_to_handler, per-task return stacks, callbacks. */
export * from './abi.js';
export * from './text.js';
export * from './graph.js';
export * from './callbacks.js';
