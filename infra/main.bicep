// Azure resources for batchai-chatops: a storage account (Tables for state, Queues for events), a Linux
// Consumption Function App on Node 20 running functions/, Application Insights, and an Azure Bot registration
// with the Teams and Slack channels pointing at the `messages` function.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p botAppId=<entra app id> batchAiWorkspaces=<rg/ws>
// The Function App's managed identity needs "Contributor" (or a custom role with Microsoft.BatchAI/*) on the
// Batch AI workspaces' resource groups: granting it is left to the operator, on purpose (least privilege).

@description('Name prefix for every resource.')
param prefix string = 'batchaiops'
param location string = resourceGroup().location

@description('Microsoft Entra app id of the bot (single-tenant app registration).')
param botAppId string

@description('Comma-separated resourceGroup/workspace pairs the poller watches.')
param batchAiWorkspaces string

@description('Subscription that holds the Batch AI workspaces.')
param batchAiSubscriptionId string = subscription().subscriptionId

@description('Poll schedule (NCRONTAB, six fields).')
param pollSchedule string = '*/30 * * * * *'

@description('Slack: client id, client secret and signing secret of the Slack app (empty = no Slack channel).')
@secure()
param slackClientSecret string = ''
param slackClientId string = ''
@secure()
param slackSigningSecret string = ''

var suffix = uniqueString(resourceGroup().id)

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('${prefix}${suffix}', 24)
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${prefix}-ai'
  location: location
  kind: 'web'
  properties: { Application_Type: 'Node.JS' }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${prefix}-plan'
  location: location
  sku: { name: 'Y1', tier: 'Dynamic' }
  kind: 'functionapp'
  properties: { reserved: true }
}

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}'

resource functions 'Microsoft.Web/sites@2023-12-01' = {
  name: '${prefix}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'Node|20'
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'node' }
        { name: 'AzureWebJobsStorage', value: storageConnection }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'BATCHAI_SUBSCRIPTION_ID', value: batchAiSubscriptionId }
        { name: 'BATCHAI_WORKSPACES', value: batchAiWorkspaces }
        { name: 'POLL_SCHEDULE', value: pollSchedule }
        { name: 'MicrosoftAppId', value: botAppId }
        { name: 'MicrosoftAppType', value: 'SingleTenant' }
        { name: 'MicrosoftAppTenantId', value: tenant().tenantId }
        // The bot password is not set here: put it in Key Vault and reference it, or use a federated credential.
      ]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${prefix}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'S1' }
  properties: {
    displayName: 'Batch AI'
    endpoint: 'https://${functions.properties.defaultHostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenant().tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

resource slack 'Microsoft.BotService/botServices/channels@2022-09-15' = if (!empty(slackClientId)) {
  parent: bot
  name: 'SlackChannel'
  location: 'global'
  properties: {
    channelName: 'SlackChannel'
    properties: {
      isEnabled: true
      clientId: slackClientId
      clientSecret: slackClientSecret
      signingSecret: slackSigningSecret
    }
  }
}

output functionAppName string = functions.name
output messagesEndpoint string = 'https://${functions.properties.defaultHostName}/api/messages'
output functionPrincipalId string = functions.identity.principalId
