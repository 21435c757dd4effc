// Wire types of the Azure Batch data plane, api-version 2025-06-01.21.0 (BatchService.json), for the fields the
// product reads or writes. Responses are kept whole (a field not listed here is still there at run time);
// operations the product does not use yet take and return `BatchObject`.

/** A Batch entity the product does not model (certificates, job schedules, node users, ...). */
export type BatchObject = { [key: string]: unknown };

export type PoolState = 'active' | 'deleting';
export type AllocationState = 'steady' | 'resizing' | 'stopping';
export type JobState = 'active' | 'disabling' | 'disabled' | 'enabling' | 'terminating' | 'completed' | 'deleting';
export type TaskState = 'active' | 'preparing' | 'running' | 'completed';
export type TaskExecutionResult = 'success' | 'failure';
export type OnAllTasksComplete = 'noaction' | 'terminatejob';
export type NodeDeallocationOption = 'requeue' | 'terminate' | 'taskcompletion' | 'retaineddata';

export interface NameValuePair {
  name: string;
  value: string;
}

export interface EnvironmentSetting {
  name: string;
  value?: string;
}

export interface BatchErrorDetail {
  key?: string;
  value?: string;
}

export interface ResizeError {
  code?: string;
  message?: string;
  values?: NameValuePair[];
}

export interface AutoScaleRun {
  timestamp: string;
  results?: string;
  error?: { code?: string; message?: string; values?: NameValuePair[] };
}

export interface BatchPool {
  id: string;
  displayName?: string;
  url?: string;
  eTag?: string;
  lastModified?: string;
  creationTime?: string;
  state?: PoolState;
  allocationState?: AllocationState;
  allocationStateTransitionTime?: string;
  vmSize?: string;
  resizeTimeout?: string;
  resizeErrors?: ResizeError[];
  currentDedicatedNodes?: number;
  currentLowPriorityNodes?: number;
  targetDedicatedNodes?: number;
  targetLowPriorityNodes?: number;
  enableAutoScale?: boolean;
  autoScaleFormula?: string;
  autoScaleEvaluationInterval?: string;
  autoScaleRun?: AutoScaleRun;
  enableInterNodeCommunication?: boolean;
  taskSlotsPerNode?: number;
  metadata?: NameValuePair[];
  virtualMachineConfiguration?: BatchObject;
  [key: string]: unknown;
}

export interface NodeStateCounts {
  creating: number;
  idle: number;
  offline: number;
  preempted: number;
  rebooting: number;
  reimaging: number;
  running: number;
  starting: number;
  startTaskFailed: number;
  leavingPool: number;
  unknown: number;
  unusable: number;
  waitingForStartTask: number;
  /** From api-version 2024-07-01.20.0 on. */
  deallocated?: number;
  deallocating?: number;
  upgradingOS?: number;
  total: number;
  [key: string]: number | undefined;
}

export interface PoolNodeCounts {
  poolId: string;
  dedicated?: NodeStateCounts;
  lowPriority?: NodeStateCounts;
}

export interface PoolResizeOptions {
  targetDedicatedNodes?: number;
  targetLowPriorityNodes?: number;
  resizeTimeout?: string;
  nodeDeallocationOption?: NodeDeallocationOption;
}

export interface EnableAutoScaleOptions {
  autoScaleFormula?: string;
  autoScaleEvaluationInterval?: string;
}

export interface JobConstraints {
  maxWallClockTime?: string;
  maxTaskRetryCount?: number;
}

export interface TaskConstraints extends JobConstraints {
  retentionTime?: string;
}

export interface ContainerSettings {
  imageName: string;
  containerRunOptions?: string;
  registry?: { registryServer?: string; username?: string; password?: string; identityReference?: BatchObject };
  workingDirectory?: 'taskWorkingDirectory' | 'containerImageDefault';
  containerHostBatchBindMounts?: BatchObject[];
}

export interface UserIdentity {
  username?: string;
  autoUser?: { scope?: 'task' | 'pool'; elevationLevel?: 'nonadmin' | 'admin' };
}

export interface OutputFile {
  filePattern: string;
  destination: {
    container: { containerUrl: string; path?: string; identityReference?: BatchObject; uploadHeaders?: BatchObject[] };
  };
  uploadOptions: { uploadCondition: 'tasksuccess' | 'taskfailure' | 'taskcompletion' };
}

export interface ExitOptions {
  jobAction?: 'none' | 'disable' | 'terminate';
  dependencyAction?: 'satisfy' | 'block';
}

export interface ExitConditions {
  exitCodes?: { code: number; exitOptions: ExitOptions }[];
  exitCodeRanges?: { start: number; end: number; exitOptions: ExitOptions }[];
  preProcessingError?: ExitOptions;
  fileUploadError?: ExitOptions;
  default?: ExitOptions;
}

export interface MultiInstanceSettings {
  numberOfInstances?: number;
  coordinationCommandLine: string;
  commonResourceFiles?: BatchObject[];
}

export interface JobPreparationTask {
  id?: string;
  commandLine: string;
  containerSettings?: ContainerSettings;
  environmentSettings?: EnvironmentSetting[];
  constraints?: TaskConstraints;
  waitForSuccess?: boolean;
  userIdentity?: UserIdentity;
  rerunOnNodeRebootAfterSuccess?: boolean;
}

export interface JobExecutionInfo {
  startTime?: string;
  endTime?: string;
  poolId?: string;
  schedulingError?: { category?: string; code?: string; message?: string; details?: NameValuePair[] };
  terminateReason?: string;
}

export interface BatchJob {
  id: string;
  displayName?: string;
  url?: string;
  eTag?: string;
  lastModified?: string;
  creationTime?: string;
  state?: JobState;
  stateTransitionTime?: string;
  previousState?: JobState;
  priority?: number;
  constraints?: JobConstraints;
  jobPreparationTask?: JobPreparationTask;
  poolInfo?: { poolId?: string; autoPoolSpecification?: BatchObject };
  onAllTasksComplete?: OnAllTasksComplete;
  onTaskFailure?: 'noaction' | 'performexitoptionsjobaction';
  usesTaskDependencies?: boolean;
  metadata?: NameValuePair[];
  executionInfo?: JobExecutionInfo;
  [key: string]: unknown;
}

/** The body of Jobs_CreateJob. */
export interface BatchJobCreateOptions {
  id: string;
  displayName?: string;
  priority?: number;
  constraints?: JobConstraints;
  jobPreparationTask?: JobPreparationTask;
  poolInfo: { poolId?: string; autoPoolSpecification?: BatchObject };
  onAllTasksComplete?: OnAllTasksComplete;
  onTaskFailure?: 'noaction' | 'performexitoptionsjobaction';
  usesTaskDependencies?: boolean;
  metadata?: NameValuePair[];
  commonEnvironmentSettings?: EnvironmentSetting[];
  [key: string]: unknown;
}

export interface TaskExecutionInfo {
  startTime?: string;
  endTime?: string;
  exitCode?: number;
  containerInfo?: BatchObject;
  failureInfo?: { category?: string; code?: string; message?: string; details?: NameValuePair[] };
  retryCount?: number;
  requeueCount?: number;
  result?: TaskExecutionResult;
}

export interface BatchTask {
  id: string;
  displayName?: string;
  url?: string;
  eTag?: string;
  lastModified?: string;
  creationTime?: string;
  state?: TaskState;
  stateTransitionTime?: string;
  commandLine?: string;
  containerSettings?: ContainerSettings;
  environmentSettings?: EnvironmentSetting[];
  outputFiles?: OutputFile[];
  exitConditions?: ExitConditions;
  multiInstanceSettings?: MultiInstanceSettings;
  constraints?: TaskConstraints;
  userIdentity?: UserIdentity;
  executionInfo?: TaskExecutionInfo;
  nodeInfo?: { poolId?: string; nodeId?: string; taskRootDirectory?: string; taskRootDirectoryUrl?: string };
  [key: string]: unknown;
}

/** The body of Tasks_CreateTask. */
export interface BatchTaskCreateOptions {
  id: string;
  displayName?: string;
  commandLine: string;
  containerSettings?: ContainerSettings;
  environmentSettings?: EnvironmentSetting[];
  outputFiles?: OutputFile[];
  exitConditions?: ExitConditions;
  multiInstanceSettings?: MultiInstanceSettings;
  constraints?: TaskConstraints;
  userIdentity?: UserIdentity;
  requiredSlots?: number;
  [key: string]: unknown;
}

export interface TaskCounts {
  active: number;
  running: number;
  completed: number;
  succeeded: number;
  failed: number;
}

export interface TaskCountsResult {
  taskCounts: TaskCounts;
  taskSlotCounts?: TaskCounts;
}

export interface NodeFile {
  name?: string;
  url?: string;
  isDirectory?: boolean;
  properties?: {
    creationTime?: string;
    lastModified?: string;
    contentLength?: number;
    contentType?: string;
    fileMode?: string;
  };
}

/** What the HEAD and GET of a task file tell in headers. */
export interface FileProperties {
  contentLength: number;
  lastModified?: string;
  creationTime?: string;
  isDirectory: boolean;
  eTag?: string;
  url?: string;
  fileMode?: string;
}

export interface BatchNode {
  id?: string;
  url?: string;
  state?: string;
  schedulingState?: string;
  ipAddress?: string;
  vmSize?: string;
  runningTasksCount?: number;
  isDedicated?: boolean;
  [key: string]: unknown;
}

export interface SupportedImage {
  nodeAgentSKUId: string;
  imageReference: BatchObject;
  osType: 'linux' | 'windows';
  verificationType: 'verified' | 'unverified';
  [key: string]: unknown;
}
