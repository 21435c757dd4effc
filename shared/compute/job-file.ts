// Batch AI's job.json (REST 2018-05-01 JobCreateParameters): what a template renders and what every backend's
// submit takes, so job files written for `az batchai` keep working. Each backend translates it (or refuses up
// front what it cannot map). The types live with the port they are the input of; the templates that produce
// them (shared/templates/) sit above it.

export interface KeyVaultSecretReference {
  sourceVault: ResourceId;
  secretUrl: string;
}

export interface JobBaseProperties {
  schedulingPriority?: 'low' | 'normal' | 'high';
  cluster: ResourceId;
  mountVolumes?: MountVolumes;
  nodeCount: number;
  containerSettings?: ContainerSettings;
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
  stdOutErrPathPrefix: string;
  inputDirectories?: InputDirectory[];
  outputDirectories?: OutputDirectory[];
  environmentVariables?: EnvironmentVariable[];
  secrets?: EnvironmentVariableWithSecretValue[];
  constraints?: {
    maxWallClockTime?: string;
  };
}

export interface JobCreateParameters {
  properties?: JobBaseProperties;
}

export interface ResourceId {
  id: string;
}

export type ToolType = 'cntk' | 'tensorflow' | 'caffe' | 'caffe2' | 'chainer' | 'horovod' | 'custommpi' | 'custom';

export interface NameValuePair {
  name?: string;
  value?: string;
}

export interface EnvironmentVariable {
  name: string;
  value: string;
}

export interface EnvironmentVariableWithSecretValue {
  name: string;
  value?: string;
  valueSecretReference?: KeyVaultSecretReference;
}

export interface ImageSourceRegistry {
  serverUrl?: string;
  image: string;
  credentials?: PrivateRegistryCredentials;
}

export interface PrivateRegistryCredentials {
  username: string;
  password?: string;
  passwordSecretReference?: KeyVaultSecretReference;
}

export interface ContainerSettings {
  imageSourceRegistry: ImageSourceRegistry;
  shmSize?: string;
}

export interface InputDirectory {
  id: string;
  path: string;
}

export interface OutputDirectory {
  id: string;
  pathPrefix: string;
  pathSuffix?: string;
}

export interface AzureStorageCredentialsInfo {
  accountKey?: string;
  accountKeySecretReference?: KeyVaultSecretReference;
}

export interface AzureFileShareReference {
  accountName: string;
  azureFileUrl: string;
  credentials: AzureStorageCredentialsInfo;
  relativeMountPath: string;
  fileMode?: string;
  directoryMode?: string;
}

export interface AzureBlobFileSystemReference {
  accountName: string;
  containerName: string;
  credentials: AzureStorageCredentialsInfo;
  relativeMountPath: string;
  mountOptions?: string;
}

export interface FileServerReference {
  fileServer: ResourceId;
  sourceDirectory?: string;
  relativeMountPath: string;
  mountOptions?: string;
}

export interface UnmanagedFileSystemReference {
  mountCommand: string;
  relativeMountPath: string;
}

export interface MountVolumes {
  azureFileShares?: AzureFileShareReference[];
  azureBlobFileSystems?: AzureBlobFileSystemReference[];
  fileServers?: FileServerReference[];
  unmanagedFileSystems?: UnmanagedFileSystemReference[];
}

export interface CNTKsettings {
  languageType?: string;
  configFilePath?: string;
  pythonScriptFilePath?: string;
  pythonInterpreterPath?: string;
  commandLineArgs?: string;
  processCount?: number;
}

export interface CaffeSettings {
  configFilePath?: string;
  pythonScriptFilePath?: string;
  pythonInterpreterPath?: string;
  commandLineArgs?: string;
  processCount?: number;
}

export interface Caffe2Settings {
  pythonScriptFilePath: string;
  pythonInterpreterPath?: string;
  commandLineArgs?: string;
}

export interface ChainerSettings {
  pythonScriptFilePath: string;
  pythonInterpreterPath?: string;
  commandLineArgs?: string;
  processCount?: number;
}

export interface CustomToolkitSettings {
  commandLine?: string;
}

export interface CustomMpiSettings {
  commandLine: string;
  processCount?: number;
}

export interface JobPreparation {
  commandLine: string;
}

export interface PyTorchSettings {
  pythonScriptFilePath: string;
  pythonInterpreterPath?: string;
  commandLineArgs?: string;
  processCount?: number;
  communicationBackend?: string;
}

export interface HorovodSettings {
  pythonScriptFilePath: string;
  pythonInterpreterPath?: string;
  commandLineArgs?: string;
  processCount?: number;
}

export interface TensorFlowSettings {
  pythonScriptFilePath: string;
  pythonInterpreterPath?: string;
  masterCommandLineArgs?: string;
  workerCommandLineArgs?: string;
  parameterServerCommandLineArgs?: string;
  workerCount?: number;
  parameterServerCount?: number;
}

/** The kinds of file systems a job.json mounts per job (no backend but Batch AI mounts any per job). */
export function mountedKinds(p: Pick<JobBaseProperties, 'mountVolumes'>): string[] {
  const m = p.mountVolumes;
  if (!m) return [];
  return (['azureFileShares', 'azureBlobFileSystems', 'fileServers', 'unmanagedFileSystems'] as const).filter(
    (k) => (m[k]?.length ?? 0) > 0,
  );
}
