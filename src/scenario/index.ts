/**
 * The measurement layer of `tramp64 compare` and `tramp64 bench`: measuring a call (instructions, modelled
 * cycles, stages, argument stores by provenance), traced − untraced deltas, code/data accounting, seeded
 * layout samples, the comparison result model and its renderers, and the trigger-benchmark runner.
 */
export {
  measureCall,
  measureTestKernelCall,
  compareCalls,
  type CallMeasurement,
  type CallDelta,
  type MeasureOptions,
  type TraceEntry,
} from './measure.js';
export { sampleAttach, type SampleRun } from './sample.js';
export { ArgProvenance, MAX_REG_ARGS, type ArgStore } from './provenance.js';
export {
  STAGES,
  DEFAULT_STAGE_RULES,
  SymbolClassifier,
  ftracePltRanges,
  StageTracker,
  emptyStageCounts,
  type Stage,
  type StageRule,
  type StageRange,
  type StageCounts,
  type TracedFunction,
} from './stages.js';
export {
  allocSnapshot,
  codeBytes,
  type AllocSnapshot,
  type AllocatedArea,
  type CodeBytes,
} from './accounting.js';
export { layouts, layoutLabel, type LayoutSampleOptions } from './layouts.js';
export {
  buildRow,
  summarize,
  stageShares,
  verdict,
  type CompareResult,
  type CompareRow,
  type ScenarioInfo,
  type Sample,
  type Stat,
  type FrameKind,
  type AttachSummary,
} from './result.js';
export { renderTable, renderJson, renderMarkdown, formatStat, formatAttach, formatStages } from './render.js';
export {
  NOMINAL_CLOCK_HZ,
  runTriggerLoop,
  runTriggerBench,
  type BenchKernel,
  type BenchScenario,
  type BenchResult,
  type BenchRow,
  type TriggerRun,
  type TriggerOptions,
} from './bench.js';
