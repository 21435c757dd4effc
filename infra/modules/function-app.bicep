// The Function App on a Flex Consumption plan (FC1, Linux, Node 22), running as the user-assigned identity.
// The package is deployed to a blob container (functionAppConfig.deployment) that the identity reads; host
// storage, our Tables and Queues, the compute backend (DefaultAzureCredential through AZURE_CLIENT_ID) and
// Application Insights all use that identity: no connection string or key is set anywhere. Secrets (the Slack
// app's) are Key Vault references, resolved with the same identity (keyVaultReferenceIdentity). The
// `appsettings` resource replaces every setting on each deploy: every setting the app reads comes from here. Flex Consumption
// takes the runtime from functionAppConfig and refuses FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION
// as app settings, so neither appears here.

param planName string
param appName string
param location string
param tags object = {}
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param applicationInsightsConnectionString string
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int
@allowed([512, 2048, 4096])
param instanceMemoryMB int
@description('The app\'s own settings (the bot, the backend, the schedules, Key Vault references), merged after the identity-based ones.')
param appSettings object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union({
      // Host storage and the queue triggers' connection `AzureWebJobsStorage`, identity-based; our code reads
      // the same settings (shared/config.ts storageSettings).
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      // DefaultAzureCredential (the compute backend's ARM calls) picks the user-assigned identity by this.
      AZURE_CLIENT_ID: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    }, appSettings)
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
