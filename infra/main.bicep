// Azure resources for batchai-chatops, one module per concern:
//   identity          a user-assigned managed identity: the only credential of the app and of the bot
//   monitoring        Log Analytics + workspace-based Application Insights (identity-authenticated ingestion)
//   storage           the storage account (host state, our Tables and Queues, the deployment container, and
//                     with Azure Batch the output container)
//   storageRoles      Blob Data Owner, Queue Data Contributor, Table Data Contributor for the identity
//   keyVault          the app's secrets (Slack), RBAC only, read by the identity through Key Vault references
//   functionApp       Flex Consumption (FC1), Node 22, running functions/ as the identity, every setting it reads
//   computeBackend    azurebatch: a Batch account (existing, or created), a pool whose nodes upload outputs as
//                     the upload identity, the app's data-plane role; azureml: the app's roles on a workspace
//   bot               Azure Bot (UserAssignedMSI) with the Teams channel, and Slack when its parameters are given
// Deploy (README "Deploy to Azure"), with the parameter file of the backend:
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.azurebatch.parameters.json
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.azureml.parameters.json \
//     -p amlWorkspaceId=<workspace resource id>

@description('Name prefix for every resource (letters and digits; the storage account name is derived from it).')
@minLength(3)
@maxLength(12)
param prefix string = 'batchaiops'

param location string = resourceGroup().location

@description('The compute service the app drives: azurebatch (an Azure Batch account) or azureml (an Azure ML workspace).')
@allowed(['azurebatch', 'azureml'])
param computeBackend string

@description('azurebatch: resource id of an existing Batch account; empty = create one in this resource group.')
param batchAccountId string = ''

@description('azurebatch: the pool the template creates in the account (the bot\'s default cluster).')
param batchPoolName string = 'gpu'

@description('azurebatch: VM size of that pool\'s nodes.')
param batchVmSize string = 'STANDARD_NC6S_V3'

@description('azureml: resource id of the Azure ML workspace (required with azureml; no default on purpose).')
param amlWorkspaceId string = ''

@description('Poll schedule (NCRONTAB, six fields, seconds first).')
param pollSchedule string = '*/30 * * * * *'

@description('Flex Consumption: the most instances the app may scale out to (40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Flex Consumption: memory of each instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Azure Bot pricing tier: F0 (free; Teams and Slack are standard channels) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('The Slack app on Slack\'s own protocol: true once its two secrets are in the Key Vault (README "Deploy to Azure").')
param slackApp bool = false

@description('Azure Bot Service\'s Slack channel (the older path, infra/slack.md): the Slack app\'s client id; empty = none.')
param slackClientId string = ''
@secure()
param slackClientSecret string = ''
@secure()
param slackSigningSecret string = ''

param tags object = {}

var suffix = uniqueString(resourceGroup().id)
var deploymentContainerName = 'app-package'
var outputContainerName = 'batch-outputs'
var useBatch = computeBackend == 'azurebatch'
var useAml = computeBackend == 'azureml'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

// The Batch account: the one given (/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Batch/
// batchAccounts/<name>) or a new one here. Its resource group and name are the app's workspace (COMPUTE_WORKSPACES = rg/account).
var createBatchAccount = useBatch && empty(batchAccountId)
var newBatchAccountId = '${resourceGroup().id}/providers/Microsoft.Batch/batchAccounts/${take(toLower('${prefix}${suffix}'), 24)}'
var batchAccountParts = split(empty(batchAccountId) ? newBatchAccountId : batchAccountId, '/')
var batchSubscriptionId = batchAccountParts[2]
var batchResourceGroup = batchAccountParts[4]
var batchAccountName = last(batchAccountParts)

// The Azure ML workspace (/subscriptions/<sub>/resourceGroups/<rg>/providers/
// Microsoft.MachineLearningServices/workspaces/<name>). With azureml and no id the deployment fails here, before
// anything is created; without azureml, a well-formed stand-in keeps the (unused) module's scope valid.
var amlStandIn = '${resourceGroup().id}/providers/Microsoft.MachineLearningServices/workspaces/none'
var amlMissing = 'computeBackend is azureml: set amlWorkspaceId to the workspace\'s resource id.'
var amlId = useAml ? (empty(amlWorkspaceId) ? fail(amlMissing) : amlWorkspaceId) : amlStandIn
var amlParts = split(amlId, '/')

module identity './modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${prefix}-id-${suffix}'
    location: location
    tags: tags
  }
}

module monitoring './modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${prefix}-logs-${suffix}'
    applicationInsightsName: '${prefix}-ai-${suffix}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module storage './modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take(toLower('${prefix}${suffix}'), 24)
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    outputContainerName: useBatch ? outputContainerName : ''
  }
}

module storageRoles './modules/storage-roles.bicep' = {
  name: 'storage-roles'
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.outputs.principalId
  }
}

module keyVault './modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: take('${prefix}kv${suffix}', 24)
    location: location
    tags: tags
    readerPrincipalId: identity.outputs.principalId
  }
}

module uploadIdentity './modules/identity.bicep' = if (useBatch) {
  name: 'upload-identity'
  params: {
    name: '${prefix}-upload-${suffix}'
    location: location
    tags: tags
  }
}

module uploadRole './modules/container-role.bicep' = if (useBatch) {
  name: 'upload-role'
  params: {
    storageAccountName: storage.outputs.name
    containerName: outputContainerName
    principalId: useBatch ? uploadIdentity.outputs.principalId : ''
    roleDefinitionId: storageBlobDataContributor
  }
}

module batchAccountNew './modules/batch-account-new.bicep' = if (createBatchAccount) {
  name: 'batch-account-new'
  params: {
    name: batchAccountName
    location: location
    tags: tags
  }
}

module azureBatch './modules/azure-batch.bicep' = if (useBatch) {
  name: 'azure-batch'
  scope: resourceGroup(batchSubscriptionId, batchResourceGroup)
  params: {
    accountName: batchAccountName
    poolName: batchPoolName
    vmSize: batchVmSize
    uploadIdentityId: useBatch ? uploadIdentity.outputs.id : ''
    appPrincipalId: identity.outputs.principalId
  }
  dependsOn: [batchAccountNew]
}

module amlRoles './modules/aml-workspace-roles.bicep' = if (useAml) {
  name: 'aml-workspace-roles'
  scope: resourceGroup(amlParts[2], amlParts[4])
  params: {
    workspaceName: last(amlParts)
    principalId: identity.outputs.principalId
  }
}

// Every setting the app's loadConfig reads (shared/config.ts; README "Configuration"), per backend. The
// appsettings resource replaces all settings on each deploy, so nothing may be left to add by hand.
var azureBatchSettings = {
  COMPUTE_BACKEND: 'azurebatch'
  COMPUTE_SUBSCRIPTION_ID: batchSubscriptionId
  COMPUTE_WORKSPACES: '${batchResourceGroup}/${batchAccountName}'
  COMPUTE_DEFAULT_CLUSTER: batchPoolName
  AZURE_BATCH_ACCOUNTS: useBatch ? azureBatch.outputs.endpoint : ''
  AZURE_BATCH_OUTPUT_CONTAINER_URL: storage.outputs.outputContainerUrl
  AZURE_BATCH_OUTPUT_IDENTITY: useBatch ? uploadIdentity.outputs.id : ''
}
var azureMlSettings = {
  COMPUTE_BACKEND: 'azureml'
  COMPUTE_SUBSCRIPTION_ID: amlParts[2]
  COMPUTE_WORKSPACES: '${amlParts[4]}/${last(amlParts)}'
  COMPUTE_ARM_ENDPOINT: environment().resourceManager
}
// Key Vault references (no version: the newest secret, picked up on restart). The secrets are a person's to set
// (az keyvault secret set); the template only points at them.
// SECRETS_KEY seals secret values at rest (a waiting submit's parameters, a Slack turn): always a reference.
var secretsKeySetting = {
  SECRETS_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/secrets-key/)'
}
var slackSettings = slackApp ? {
  SLACK_SIGNING_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/slack-signing-secret/)'
  SLACK_BOT_TOKEN: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/slack-bot-token/)'
} : {}

module functionApp './modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    planName: '${prefix}-plan-${suffix}'
    appName: '${prefix}-${suffix}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: union(
      {
        POLL_SCHEDULE: pollSchedule
        MicrosoftAppType: 'UserAssignedMSI'
        MicrosoftAppId: identity.outputs.clientId
        MicrosoftAppTenantId: identity.outputs.tenantId
      },
      useBatch ? azureBatchSettings : azureMlSettings,
      secretsKeySetting,
      slackSettings
    )
  }
  // The app starts as soon as it exists: its identity must already hold its storage roles, may read the vault,
  // and reaches its compute backend.
  dependsOn: [storageRoles, keyVault, azureBatch, amlRoles]
}

module bot './modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: '${prefix}-bot-${suffix}'
    displayName: 'Batch AI'
    messagesEndpoint: 'https://${functionApp.outputs.defaultHostName}/api/messages'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    tenantId: identity.outputs.tenantId
    sku: botSku
    tags: tags
    slackClientId: slackClientId
    slackClientSecret: slackClientSecret
    slackSigningSecret: slackSigningSecret
  }
}

@description('Publish the package here: az functionapp deployment source config-zip -g <rg> -n <functionAppName> --src .deploy/batchai-chatops.zip')
output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output messagesEndpoint string = 'https://${functionApp.outputs.defaultHostName}/api/messages'
output healthUrl string = 'https://${functionApp.outputs.defaultHostName}/api/health'
@description('Needs the function key: az functionapp keys list -g <rg> -n <functionAppName> --query functionKeys.default')
output healthDetailsUrl string = 'https://${functionApp.outputs.defaultHostName}/api/health/details'
@description('The Slack app\'s request URL (Event Subscriptions, Interactivity and the /batchai slash command).')
output slackAppRequestUrl string = 'https://${functionApp.outputs.defaultHostName}/api/slack/events'
@description('az keyvault secret set --vault-name <keyVaultName> --name slack-signing-secret / slack-bot-token')
output keyVaultName string = keyVault.outputs.name
output computeBackend string = computeBackend
output computeWorkspace string = useBatch ? '${batchResourceGroup}/${batchAccountName}' : '${amlParts[4]}/${last(amlParts)}'
@description('The bot\'s app id (the identity\'s client id): BOT_APP_ID for npm run package:teams.')
output botAppId string = identity.outputs.clientId
output botName string = bot.outputs.name
output tenantId string = identity.outputs.tenantId
output identityName string = identity.outputs.name
output identityPrincipalId string = identity.outputs.principalId
output storageAccountName string = storage.outputs.name
output applicationInsightsName string = monitoring.outputs.applicationInsightsName
@description('Azure Bot Service\'s Slack channel: the Event Subscriptions request URL (infra/slack.md).')
output slackEventsUrl string = 'https://slack.botframework.com/api/Events/${bot.outputs.name}'
