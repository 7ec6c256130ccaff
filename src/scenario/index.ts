/**
 * The measurement layer of `tramp64 compare` and `tramp64 bench`: measuring a call (instructions, modelled
 * cycles, stages, argument stores by provenance), traced − untraced deltas, code/data accounting, seeded
 * layout samples, the comparison result model and its renderers, the trigger-benchmark runner, the comparison
 * driver (compare.ts) and the benches with their published figures (benches.ts).
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
export {
  runCompare,
  runSample,
  scenarioByName,
  tinyProgram,
  SCENARIOS,
  COMPARE_STAGE_RULES,
  COMPARE_FUNC,
  FMOD_RET_FUNC,
  N_PROGRAMS,
  DEFAULT_LAYOUTS,
  DEFAULT_SEED,
  FRAMES,
  type CompareOptions,
  type CompareScenario,
  type CompareFrame,
  type Prepared,
  type SampleInfo,
} from './compare.js';
export {
  runCallOpsExperiment,
  runStrategyTriggerBench,
  fitLine,
  PUBLISHED_CALL_OPS,
  PUBLISHED_FPROBE_SLOWDOWNS,
  PUBLISHED_TRIGGER,
  MARK_RUTLAND_CALL_OPS,
  FLORENT_REVEST_FPROBE,
  TRIGGER_SOURCES,
  TRIGGER_BENCHES,
  DEFAULT_TRIGGER_CONFIGS,
  TRIGGER_FUNC,
  TRIGGER_LOOP,
  FMODRET_FUNC,
  FMODRET_LOOP,
  IRRELEVANT_FUNC,
  type CallOpsExperiment,
  type CallOpsOptions,
  type CallOpsRow,
  type CallOpsPoint,
  type CallOpsShape,
  type Comparison,
  type LineFit,
  type ObjectLoader,
  type PublishedCallOpsRow,
  type PublishedSlowdown,
  type PublishedTrigger,
  type Source,
  type TriggerBenchName,
  type TriggerBenchOptions,
  type TriggerBenchResult,
  type TriggerConfig,
  type TriggerRow,
  type HostFigures,
} from './benches.js';
export {
  runCorpusCompare,
  findTraceableFunction,
  CORPUS_SCENARIOS,
  type CorpusCompareOptions,
} from './compare-corpus.js';
