// Azure resources for batchai-chatops, one module per concern:
//   identity        a user-assigned managed identity: the only credential of the app and of the bot
//   monitoring      Log Analytics + workspace-based Application Insights (identity-authenticated ingestion)
//   storage         the storage account (host state, our Tables and Queues, the deployment container)
//   storageRoles    Blob Data Owner, Queue Data Contributor, Table Data Contributor for the identity
//   functionApp     Flex Consumption (FC1), Node 22, running functions/ as the identity
//   computeRoles    the identity's role on the compute backend: Batch AI resource groups and/or a Batch account
//   bot             Azure Bot (UserAssignedMSI) with the Teams channel, and Slack when its parameters are given
// Deploy (README "Deploy to Azure"):
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json

@description('Name prefix for every resource (letters and digits; the storage account name is derived from it).')
@minLength(3)
@maxLength(12)
param prefix string = 'batchaiops'

param location string = resourceGroup().location

@description('Comma-separated resourceGroup/workspace pairs the poller watches (COMPUTE_WORKSPACES); the first is the bot\'s default.')
param batchAiWorkspaces string

@description('Subscription that holds the Batch AI workspaces (COMPUTE_SUBSCRIPTION_ID).')
param batchAiSubscriptionId string = subscription().subscriptionId

@description('Give the identity computeRoleDefinitionId on each Batch AI workspace\'s resource group (in batchAiSubscriptionId). False = the operator grants it.')
param grantBatchAiRole bool = true

@description('Resource id of an Azure Batch account to give the identity computeRoleDefinitionId on (empty = none).')
param batchAccountId string = ''

@description('Role definition id (GUID) for the compute backend. Default: Contributor; any role that allows the Batch AI (or Batch) operations the bot runs will do.')
param computeRoleDefinitionId string = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

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

@description('Slack app client id (empty = no Slack channel). See infra/slack.md.')
param slackClientId string = ''
@secure()
param slackClientSecret string = ''
@secure()
param slackSigningSecret string = ''

param tags object = {}

var suffix = uniqueString(resourceGroup().id)
var deploymentContainerName = 'app-package'
// "rg/ws,rg2/ws2" → the distinct resource groups, where the identity needs its role.
var batchAiResourceGroups = union(map(split(batchAiWorkspaces, ','), w => trim(split(trim(w), '/')[0])), [])
// With no Batch account, a well-formed stand-in keeps the (unused) module's scope expression valid.
var batchAccountParts = split(empty(batchAccountId) ? '${resourceGroup().id}/providers/Microsoft.Batch/batchAccounts/none' : batchAccountId, '/')

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
  }
}

module storageRoles './modules/storage-roles.bicep' = {
  name: 'storage-roles'
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.outputs.principalId
  }
}

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
    appSettings: {
      COMPUTE_SUBSCRIPTION_ID: batchAiSubscriptionId
      COMPUTE_WORKSPACES: batchAiWorkspaces
      POLL_SCHEDULE: pollSchedule
      MicrosoftAppType: 'UserAssignedMSI'
      MicrosoftAppId: identity.outputs.clientId
      MicrosoftAppTenantId: identity.outputs.tenantId
    }
  }
  // The app starts as soon as it exists: its identity must already hold its storage roles.
  dependsOn: [storageRoles]
}

module batchAiRoles './modules/role-on-resource-group.bicep' = [for rg in batchAiResourceGroups: if (grantBatchAiRole) {
  name: take('compute-role-${rg}', 64)
  scope: resourceGroup(batchAiSubscriptionId, rg)
  params: {
    principalId: identity.outputs.principalId
    roleDefinitionId: computeRoleDefinitionId
  }
}]

module batchAccountRole './modules/role-on-batch-account.bicep' = if (!empty(batchAccountId)) {
  name: 'compute-role-batch-account'
  scope: resourceGroup(batchAccountParts[2], batchAccountParts[4])
  params: {
    batchAccountName: last(batchAccountParts)
    principalId: identity.outputs.principalId
    roleDefinitionId: computeRoleDefinitionId
  }
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

@description('Publish the package here: az functionapp deployment source config-zip -g <rg> -n <functionAppName> --src dist/package/batchai-chatops.zip')
output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output messagesEndpoint string = 'https://${functionApp.outputs.defaultHostName}/api/messages'
output healthUrl string = 'https://${functionApp.outputs.defaultHostName}/api/health'
@description('The bot\'s app id (the identity\'s client id): BOT_APP_ID for npm run package:teams.')
output botAppId string = identity.outputs.clientId
output botName string = bot.outputs.name
output tenantId string = identity.outputs.tenantId
output identityName string = identity.outputs.name
output identityPrincipalId string = identity.outputs.principalId
output storageAccountName string = storage.outputs.name
output applicationInsightsName string = monitoring.outputs.applicationInsightsName
@description('Slack: the Event Subscriptions request URL (infra/slack.md).')
output slackEventsUrl string = 'https://slack.botframework.com/api/Events/${bot.outputs.name}'
