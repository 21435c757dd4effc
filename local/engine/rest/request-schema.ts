// Request-body schemas of Microsoft.BatchAI 2018-05-01, generated once from ../shared/batchai-spec/2018-05-01/
// BatchAI.json (the definitions reachable from the create/update parameters; read-only properties dropped, as the
// service ignored them on input). A string value names another definition. `properties` is required at the
// roots of cluster, job and file server creation because the service could not act without it.
export type SchemaNode =
  | string
  | {
      t: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'map';
      enum?: string[];
      props?: Record<string, SchemaNode>;
      req?: string[];
      items?: SchemaNode;
      min?: number;
      max?: number;
      format?: string;
    };

export const definitions: Record<string, SchemaNode> = {
  WorkspaceCreateParameters: {
    t: 'object',
    props: { location: { t: 'string' }, tags: { t: 'map', items: { t: 'string' } } },
    req: ['location'],
  },
  WorkspaceUpdateParameters: { t: 'object', props: { tags: { t: 'map', items: { t: 'string' } } } },
  DeallocationOption: { enum: ['requeue', 'terminate', 'waitforjobcompletion'], t: 'string' },
  ManualScaleSettings: {
    t: 'object',
    props: { targetNodeCount: { t: 'integer', format: 'int32' }, nodeDeallocationOption: 'DeallocationOption' },
    req: ['targetNodeCount'],
  },
  AutoScaleSettings: {
    t: 'object',
    props: {
      minimumNodeCount: { t: 'integer', format: 'int32' },
      maximumNodeCount: { t: 'integer', format: 'int32' },
      initialNodeCount: { t: 'integer', format: 'int32' },
    },
    req: ['minimumNodeCount', 'maximumNodeCount'],
  },
  ScaleSettings: { t: 'object', props: { manual: 'ManualScaleSettings', autoScale: 'AutoScaleSettings' } },
  ImageReference: {
    t: 'object',
    props: {
      publisher: { t: 'string' },
      offer: { t: 'string' },
      sku: { t: 'string' },
      version: { t: 'string' },
      virtualMachineImageId: { t: 'string' },
    },
    req: ['publisher', 'offer', 'sku'],
  },
  VirtualMachineConfiguration: { t: 'object', props: { imageReference: 'ImageReference' } },
  EnvironmentVariable: {
    t: 'object',
    props: { name: { t: 'string' }, value: { t: 'string' } },
    req: ['name', 'value'],
  },
  ResourceId: { t: 'object', props: { id: { t: 'string' } }, req: ['id'] },
  KeyVaultSecretReference: {
    t: 'object',
    props: { sourceVault: 'ResourceId', secretUrl: { t: 'string' } },
    req: ['sourceVault', 'secretUrl'],
  },
  EnvironmentVariableWithSecretValue: {
    t: 'object',
    props: { name: { t: 'string' }, value: { t: 'string' }, valueSecretReference: 'KeyVaultSecretReference' },
    req: ['name'],
  },
  SetupTask: {
    t: 'object',
    props: {
      commandLine: { t: 'string' },
      environmentVariables: { t: 'array', items: 'EnvironmentVariable' },
      secrets: { t: 'array', items: 'EnvironmentVariableWithSecretValue' },
      stdOutErrPathPrefix: { t: 'string' },
    },
    req: ['commandLine', 'stdOutErrPathPrefix'],
  },
  AzureStorageCredentialsInfo: {
    t: 'object',
    props: { accountKey: { t: 'string' }, accountKeySecretReference: 'KeyVaultSecretReference' },
  },
  AzureFileShareReference: {
    t: 'object',
    props: {
      accountName: { t: 'string' },
      azureFileUrl: { t: 'string' },
      credentials: 'AzureStorageCredentialsInfo',
      relativeMountPath: { t: 'string' },
      fileMode: { t: 'string' },
      directoryMode: { t: 'string' },
    },
    req: ['accountName', 'azureFileUrl', 'credentials', 'relativeMountPath'],
  },
  AzureBlobFileSystemReference: {
    t: 'object',
    props: {
      accountName: { t: 'string' },
      containerName: { t: 'string' },
      credentials: 'AzureStorageCredentialsInfo',
      relativeMountPath: { t: 'string' },
      mountOptions: { t: 'string' },
    },
    req: ['accountName', 'containerName', 'credentials', 'relativeMountPath'],
  },
  FileServerReference: {
    t: 'object',
    props: {
      fileServer: 'ResourceId',
      sourceDirectory: { t: 'string' },
      relativeMountPath: { t: 'string' },
      mountOptions: { t: 'string' },
    },
    req: ['fileServer', 'relativeMountPath'],
  },
  UnmanagedFileSystemReference: {
    t: 'object',
    props: { mountCommand: { t: 'string' }, relativeMountPath: { t: 'string' } },
    req: ['mountCommand', 'relativeMountPath'],
  },
  MountVolumes: {
    t: 'object',
    props: {
      azureFileShares: { t: 'array', items: 'AzureFileShareReference' },
      azureBlobFileSystems: { t: 'array', items: 'AzureBlobFileSystemReference' },
      fileServers: { t: 'array', items: 'FileServerReference' },
      unmanagedFileSystems: { t: 'array', items: 'UnmanagedFileSystemReference' },
    },
  },
  AppInsightsReference: {
    t: 'object',
    props: {
      component: 'ResourceId',
      instrumentationKey: { t: 'string' },
      instrumentationKeySecretReference: 'KeyVaultSecretReference',
    },
    req: ['component'],
  },
  PerformanceCountersSettings: {
    t: 'object',
    props: { appInsightsReference: 'AppInsightsReference' },
    req: ['appInsightsReference'],
  },
  NodeSetup: {
    t: 'object',
    props: {
      setupTask: 'SetupTask',
      mountVolumes: 'MountVolumes',
      performanceCountersSettings: 'PerformanceCountersSettings',
    },
  },
  UserAccountSettings: {
    t: 'object',
    props: {
      adminUserName: { t: 'string' },
      adminUserSshPublicKey: { t: 'string' },
      adminUserPassword: { t: 'string' },
    },
    req: ['adminUserName'],
  },
  ClusterBaseProperties: {
    t: 'object',
    props: {
      vmSize: { t: 'string' },
      vmPriority: { enum: ['dedicated', 'lowpriority'], t: 'string' },
      scaleSettings: 'ScaleSettings',
      virtualMachineConfiguration: 'VirtualMachineConfiguration',
      nodeSetup: 'NodeSetup',
      userAccountSettings: 'UserAccountSettings',
      subnet: 'ResourceId',
    },
    req: ['vmSize', 'userAccountSettings'],
  },
  ClusterCreateParameters: { t: 'object', props: { properties: 'ClusterBaseProperties' }, req: ['properties'] },
  ClusterUpdateProperties: { t: 'object', props: { scaleSettings: 'ScaleSettings' } },
  ClusterUpdateParameters: { t: 'object', props: { properties: 'ClusterUpdateProperties' } },
  PrivateRegistryCredentials: {
    t: 'object',
    props: { username: { t: 'string' }, password: { t: 'string' }, passwordSecretReference: 'KeyVaultSecretReference' },
    req: ['username'],
  },
  ImageSourceRegistry: {
    t: 'object',
    props: { serverUrl: { t: 'string' }, image: { t: 'string' }, credentials: 'PrivateRegistryCredentials' },
    req: ['image'],
  },
  ContainerSettings: {
    t: 'object',
    props: { imageSourceRegistry: 'ImageSourceRegistry', shmSize: { t: 'string' } },
    req: ['imageSourceRegistry'],
  },
  CNTKsettings: {
    t: 'object',
    props: {
      languageType: { t: 'string' },
      configFilePath: { t: 'string' },
      pythonScriptFilePath: { t: 'string' },
      pythonInterpreterPath: { t: 'string' },
      commandLineArgs: { t: 'string' },
      processCount: { t: 'integer', format: 'int32' },
    },
  },
  PyTorchSettings: {
    t: 'object',
    props: {
      pythonScriptFilePath: { t: 'string' },
      pythonInterpreterPath: { t: 'string' },
      commandLineArgs: { t: 'string' },
      processCount: { t: 'integer', format: 'int32' },
      communicationBackend: { t: 'string' },
    },
    req: ['pythonScriptFilePath'],
  },
  TensorFlowSettings: {
    t: 'object',
    props: {
      pythonScriptFilePath: { t: 'string' },
      pythonInterpreterPath: { t: 'string' },
      masterCommandLineArgs: { t: 'string' },
      workerCommandLineArgs: { t: 'string' },
      parameterServerCommandLineArgs: { t: 'string' },
      workerCount: { t: 'integer', format: 'int32' },
      parameterServerCount: { t: 'integer', format: 'int32' },
    },
    req: ['pythonScriptFilePath'],
  },
  CaffeSettings: {
    t: 'object',
    props: {
      configFilePath: { t: 'string' },
      pythonScriptFilePath: { t: 'string' },
      pythonInterpreterPath: { t: 'string' },
      commandLineArgs: { t: 'string' },
      processCount: { t: 'integer', format: 'int32' },
    },
  },
  Caffe2Settings: {
    t: 'object',
    props: {
      pythonScriptFilePath: { t: 'string' },
      pythonInterpreterPath: { t: 'string' },
      commandLineArgs: { t: 'string' },
    },
    req: ['pythonScriptFilePath'],
  },
  ChainerSettings: {
    t: 'object',
    props: {
      pythonScriptFilePath: { t: 'string' },
      pythonInterpreterPath: { t: 'string' },
      commandLineArgs: { t: 'string' },
      processCount: { t: 'integer', format: 'int32' },
    },
    req: ['pythonScriptFilePath'],
  },
  CustomToolkitSettings: { t: 'object', props: { commandLine: { t: 'string' } } },
  CustomMpiSettings: {
    t: 'object',
    props: { commandLine: { t: 'string' }, processCount: { t: 'integer', format: 'int32' } },
    req: ['commandLine'],
  },
  HorovodSettings: {
    t: 'object',
    props: {
      pythonScriptFilePath: { t: 'string' },
      pythonInterpreterPath: { t: 'string' },
      commandLineArgs: { t: 'string' },
      processCount: { t: 'integer', format: 'int32' },
    },
    req: ['pythonScriptFilePath'],
  },
  JobPreparation: { t: 'object', props: { commandLine: { t: 'string' } }, req: ['commandLine'] },
  InputDirectory: { t: 'object', props: { id: { t: 'string' }, path: { t: 'string' } }, req: ['id', 'path'] },
  OutputDirectory: {
    t: 'object',
    props: { id: { t: 'string' }, pathPrefix: { t: 'string' }, pathSuffix: { t: 'string' } },
    req: ['id', 'pathPrefix'],
  },
  JobBaseProperties: {
    t: 'object',
    props: {
      schedulingPriority: { enum: ['low', 'normal', 'high'], t: 'string' },
      cluster: 'ResourceId',
      mountVolumes: 'MountVolumes',
      nodeCount: { t: 'integer', format: 'int32' },
      containerSettings: 'ContainerSettings',
      cntkSettings: 'CNTKsettings',
      pyTorchSettings: 'PyTorchSettings',
      tensorFlowSettings: 'TensorFlowSettings',
      caffeSettings: 'CaffeSettings',
      caffe2Settings: 'Caffe2Settings',
      chainerSettings: 'ChainerSettings',
      customToolkitSettings: 'CustomToolkitSettings',
      customMpiSettings: 'CustomMpiSettings',
      horovodSettings: 'HorovodSettings',
      jobPreparation: 'JobPreparation',
      stdOutErrPathPrefix: { t: 'string' },
      inputDirectories: { t: 'array', items: 'InputDirectory' },
      outputDirectories: { t: 'array', items: 'OutputDirectory' },
      environmentVariables: { t: 'array', items: 'EnvironmentVariable' },
      secrets: { t: 'array', items: 'EnvironmentVariableWithSecretValue' },
      constraints: { t: 'object', props: { maxWallClockTime: { t: 'string', format: 'duration' } } },
    },
    req: ['cluster', 'nodeCount', 'stdOutErrPathPrefix'],
  },
  JobCreateParameters: { t: 'object', props: { properties: 'JobBaseProperties' }, req: ['properties'] },
  SshConfiguration: {
    t: 'object',
    props: { publicIPsToAllow: { t: 'array', items: { t: 'string' } }, userAccountSettings: 'UserAccountSettings' },
    req: ['userAccountSettings'],
  },
  DataDisks: {
    t: 'object',
    props: {
      diskSizeInGB: { t: 'integer', format: 'int32' },
      cachingType: { enum: ['none', 'readonly', 'readwrite'], t: 'string' },
      diskCount: { t: 'integer', format: 'int32' },
      storageAccountType: { enum: ['Standard_LRS', 'Premium_LRS'], t: 'string' },
    },
    req: ['diskSizeInGB', 'diskCount', 'storageAccountType'],
  },
  FileServerBaseProperties: {
    t: 'object',
    props: {
      vmSize: { t: 'string' },
      sshConfiguration: 'SshConfiguration',
      dataDisks: 'DataDisks',
      subnet: 'ResourceId',
    },
    req: ['vmSize', 'sshConfiguration', 'dataDisks'],
  },
  FileServerCreateParameters: { t: 'object', props: { properties: 'FileServerBaseProperties' }, req: ['properties'] },
};
