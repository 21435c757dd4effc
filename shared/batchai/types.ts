// Wire types of Microsoft.BatchAI 2018-05-01, generated once from ../shared/batchai-spec/2018-05-01/BatchAI.json
// (definitions → interfaces, allOf → extends). They describe the JSON on the wire: resource properties stay
// nested under `properties`, as the service sent them. Every field the service may omit is optional.

import type {
  CNTKsettings,
  Caffe2Settings,
  CaffeSettings,
  ChainerSettings,
  ContainerSettings,
  CustomMpiSettings,
  CustomToolkitSettings,
  EnvironmentVariable,
  EnvironmentVariableWithSecretValue,
  HorovodSettings,
  InputDirectory,
  JobPreparation,
  KeyVaultSecretReference,
  MountVolumes,
  NameValuePair,
  OutputDirectory,
  PyTorchSettings,
  ResourceId,
  TensorFlowSettings,
  ToolType,
} from '../compute/job-file';
export type {
  AzureBlobFileSystemReference,
  AzureFileShareReference,
  AzureStorageCredentialsInfo,
  CNTKsettings,
  Caffe2Settings,
  CaffeSettings,
  ChainerSettings,
  ContainerSettings,
  CustomMpiSettings,
  CustomToolkitSettings,
  EnvironmentVariable,
  EnvironmentVariableWithSecretValue,
  FileServerReference,
  HorovodSettings,
  ImageSourceRegistry,
  InputDirectory,
  JobBaseProperties,
  JobCreateParameters,
  JobPreparation,
  KeyVaultSecretReference,
  MountVolumes,
  NameValuePair,
  OutputDirectory,
  PrivateRegistryCredentials,
  PyTorchSettings,
  ResourceId,
  TensorFlowSettings,
  ToolType,
  UnmanagedFileSystemReference,
} from '../compute/job-file';

export interface UsageName {
  readonly value?: string;
  readonly localizedValue?: string;
}

export interface Usage {
  readonly unit?: 'Count';
  readonly currentValue?: number;
  readonly limit?: number;
  readonly name?: UsageName;
}

export interface ListUsagesResult {
  readonly value?: Usage[];
  readonly nextLink?: string;
}

export interface FileServerBaseProperties {
  vmSize: string;
  sshConfiguration: SshConfiguration;
  dataDisks: DataDisks;
  subnet?: ResourceId;
}

export interface FileServerListResult {
  value?: FileServer[];
  readonly nextLink?: string;
}

export interface DataDisks {
  diskSizeInGB: number;
  cachingType?: 'none' | 'readonly' | 'readwrite';
  diskCount: number;
  storageAccountType: 'Standard_LRS' | 'Premium_LRS';
}

export interface MountSettings {
  mountPoint?: string;
  fileServerPublicIP?: string;
  fileServerInternalIP?: string;
}

export interface SshConfiguration {
  publicIPsToAllow?: string[];
  userAccountSettings: UserAccountSettings;
}

export interface FileServerCreateParameters {
  properties?: FileServerBaseProperties;
}

export interface FileServerProperties {
  vmSize?: string;
  sshConfiguration?: SshConfiguration;
  dataDisks?: DataDisks;
  subnet?: ResourceId;
  readonly mountSettings?: MountSettings;
  readonly provisioningStateTransitionTime?: string;
  readonly creationTime?: string;
  readonly provisioningState?: 'creating' | 'updating' | 'deleting' | 'succeeded' | 'failed';
}

export interface FileServer extends ProxyResource {
  properties?: FileServerProperties;
}

export interface ClusterBaseProperties {
  vmSize: string;
  vmPriority?: 'dedicated' | 'lowpriority';
  scaleSettings?: ScaleSettings;
  virtualMachineConfiguration?: VirtualMachineConfiguration;
  nodeSetup?: NodeSetup;
  userAccountSettings: UserAccountSettings;
  subnet?: ResourceId;
}

export interface ClusterUpdateProperties {
  scaleSettings?: ScaleSettings;
}

export type DeallocationOption = 'requeue' | 'terminate' | 'waitforjobcompletion';

export interface ScaleSettings {
  manual?: ManualScaleSettings;
  autoScale?: AutoScaleSettings;
}

export interface AutoScaleSettings {
  minimumNodeCount: number;
  maximumNodeCount: number;
  initialNodeCount?: number;
}

export interface ManualScaleSettings {
  targetNodeCount: number;
  nodeDeallocationOption?: DeallocationOption;
}

export interface VirtualMachineConfiguration {
  imageReference?: ImageReference;
}

export interface ImageReference {
  publisher: string;
  offer: string;
  sku: string;
  version?: string;
  virtualMachineImageId?: string;
}

export interface NodeStateCounts {
  readonly idleNodeCount?: number;
  readonly runningNodeCount?: number;
  readonly preparingNodeCount?: number;
  readonly unusableNodeCount?: number;
  readonly leavingNodeCount?: number;
}

export interface UserAccountSettings {
  adminUserName: string;
  adminUserSshPublicKey?: string;
  adminUserPassword?: string;
}

export interface PerformanceCountersSettings {
  appInsightsReference: AppInsightsReference;
}

export interface AppInsightsReference {
  component: ResourceId;
  instrumentationKey?: string;
  instrumentationKeySecretReference?: KeyVaultSecretReference;
}

export interface NodeSetup {
  setupTask?: SetupTask;
  mountVolumes?: MountVolumes;
  performanceCountersSettings?: PerformanceCountersSettings;
}

export interface SetupTask {
  commandLine: string;
  environmentVariables?: EnvironmentVariable[];
  secrets?: EnvironmentVariableWithSecretValue[];
  stdOutErrPathPrefix: string;
  readonly stdOutErrPathSuffix?: string;
}

export interface ClusterCreateParameters {
  properties?: ClusterBaseProperties;
}

export interface ClusterUpdateParameters {
  properties?: ClusterUpdateProperties;
}

export interface ClusterProperties {
  vmSize?: string;
  vmPriority?: 'dedicated' | 'lowpriority';
  scaleSettings?: ScaleSettings;
  virtualMachineConfiguration?: VirtualMachineConfiguration;
  nodeSetup?: NodeSetup;
  userAccountSettings?: UserAccountSettings;
  subnet?: ResourceId;
  readonly creationTime?: string;
  readonly provisioningState?: 'creating' | 'succeeded' | 'failed' | 'deleting';
  readonly provisioningStateTransitionTime?: string;
  readonly allocationState?: 'steady' | 'resizing';
  readonly allocationStateTransitionTime?: string;
  readonly errors?: BatchAIError[];
  readonly currentNodeCount?: number;
  readonly nodeStateCounts?: NodeStateCounts;
}

export interface Cluster extends ProxyResource {
  properties?: ClusterProperties;
}

export interface ClusterListResult {
  readonly value?: Cluster[];
  readonly nextLink?: string;
}

export interface JobProperties {
  schedulingPriority?: 'low' | 'normal' | 'high';
  cluster?: ResourceId;
  mountVolumes?: MountVolumes;
  nodeCount?: number;
  containerSettings?: ContainerSettings;
  toolType?: ToolType;
  cntkSettings?: CNTKsettings;
  pyTorchSettings?: PyTorchSettings;
  tensorFlowSettings?: TensorFlowSettings;
  caffeSettings?: CaffeSettings;
  caffe2Settings?: Caffe2Settings;
  chainerSettings?: ChainerSettings;
  customToolkitSettings?: CustomToolkitSettings;
  customMpiSettings?: CustomMpiSettings;
  horovodSettings?: HorovodSettings;
  jobPreparation?: JobPreparation;
  readonly jobOutputDirectoryPathSegment?: string;
  stdOutErrPathPrefix?: string;
  inputDirectories?: InputDirectory[];
  outputDirectories?: OutputDirectory[];
  environmentVariables?: EnvironmentVariable[];
  secrets?: EnvironmentVariableWithSecretValue[];
  constraints?: {
    maxWallClockTime?: string;
  };
  readonly creationTime?: string;
  readonly provisioningState?: 'creating' | 'deleting' | 'succeeded' | 'failed';
  readonly provisioningStateTransitionTime?: string;
  readonly executionState?: 'queued' | 'running' | 'terminating' | 'succeeded' | 'failed';
  readonly executionStateTransitionTime?: string;
  executionInfo?: {
    readonly startTime?: string;
    readonly endTime?: string;
    readonly exitCode?: number;
    readonly errors?: BatchAIError[];
  };
}

export interface Job extends ProxyResource {
  properties?: JobProperties;
}

export interface JobListResult {
  readonly value?: Job[];
  readonly nextLink?: string;
}

export interface RemoteLoginInformation {
  readonly nodeId?: string;
  readonly ipAddress?: string;
  readonly port?: number;
}

export interface RemoteLoginInformationListResult {
  readonly value?: RemoteLoginInformation[];
  readonly nextLink?: string;
}

export interface FileProperties {
  readonly lastModified?: string;
  readonly contentLength?: number;
}

export interface File {
  readonly name?: string;
  readonly fileType?: 'file' | 'directory';
  readonly downloadUrl?: string;
  properties?: FileProperties;
}

export interface FileListResult {
  readonly value?: File[];
  readonly nextLink?: string;
}

export interface Resource {
  readonly id?: string;
  readonly name?: string;
  readonly type?: string;
  readonly location?: string;
  readonly tags?: { [key: string]: string };
}

export interface ProxyResource {
  readonly id?: string;
  readonly name?: string;
  readonly type?: string;
}

export interface CloudError {
  readonly error?: CloudErrorBody;
}

export interface CloudErrorBody {
  readonly code?: string;
  readonly message?: string;
  readonly target?: string;
  readonly details?: CloudErrorBody[];
}

export interface BatchAIError {
  readonly code?: string;
  readonly message?: string;
  readonly details?: NameValuePair[];
}

export interface Operation {
  readonly name?: string;
  display?: {
    readonly provider?: string;
    readonly operation?: string;
    readonly resource?: string;
    readonly description?: string;
  };
  readonly origin?: string;
  properties?: unknown;
}

export interface OperationListResult {
  readonly value?: Operation[];
  readonly nextLink?: string;
}

export interface WorkspaceListResult {
  readonly value?: Workspace[];
  readonly nextLink?: string;
}

export interface WorkspaceCreateParameters {
  location: string;
  tags?: { [key: string]: string };
}

export interface WorkspaceUpdateParameters {
  tags?: { [key: string]: string };
}

export interface WorkspaceProperties {
  readonly creationTime?: string;
  readonly provisioningState?: 'creating' | 'deleting' | 'succeeded' | 'failed';
  readonly provisioningStateTransitionTime?: string;
}

export interface Workspace extends Resource {
  properties?: WorkspaceProperties;
}

export interface ExperimentListResult {
  readonly value?: Experiment[];
  readonly nextLink?: string;
}

export interface ExperimentProperties {
  readonly creationTime?: string;
  readonly provisioningState?: 'creating' | 'deleting' | 'succeeded' | 'failed';
  readonly provisioningStateTransitionTime?: string;
}

export interface Experiment extends ProxyResource {
  properties?: ExperimentProperties;
}
