/** The function and function_graph tracers: ring buffers in emulated memory, A64 callbacks, trace text. */
export { TraceArray, type TracerName } from './trace.js';
export { TraceBuffers, TRACE_TYPE, type TraceEntry, type RingBufferOptions } from './ringbuf.js';
export { buildTracerText, TRACER_FN_BIT, TRACER_GRAPH_BIT, type TracerText } from './callbacks.js';
export {
  functionHeader,
  functionLine,
  functionLines,
  graphHeader,
  graphLines,
  graphDuration,
  overheadMark,
  formatTimestamp,
  ticksToNs,
  type RenderContext,
  type TaskInfo,
} from './output.js';
