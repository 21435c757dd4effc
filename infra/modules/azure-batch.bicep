// The app's side of an Azure Batch account (deployed with scope: the account's resource group), new or existing:
// - the app's identity gets Azure Batch Data Contributor on the account (pools, jobs and tasks through the data
//   plane, with a Microsoft Entra token);
// - a pool of the given VM size whose nodes carry the upload identity, so tasks write their outputs and
//   stdout/stderr to the output container (AZURE_BATCH_OUTPUT_IDENTITY). Its node count is the bot's to set
//   (resize, autoscale, idle scale-down): the pool declares no scaleSettings, so a redeploy leaves it as it is.

param accountName string
param poolName string
param vmSize string
@description('Resource id of the user-assigned identity the pool\'s nodes upload outputs with.')
param uploadIdentityId string
@description('The app\'s identity (principal id).')
param appPrincipalId string

var batchDataContributor = '6aaa78f1-f7de-44ca-8722-c64a23943cae'

resource account 'Microsoft.Batch/batchAccounts@2024-07-01' existing = {
  name: accountName
}

resource appRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, batchDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', batchDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource pool 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  parent: account
  name: poolName
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${uploadIdentityId}': {}
    }
  }
  properties: {
    vmSize: vmSize
    taskSchedulingPolicy: { nodeFillType: 'Pack' }
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: {
          publisher: 'microsoft-dsvm'
          offer: 'ubuntu-hpc'
          sku: '2204'
          version: 'latest'
        }
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
  }
}

output name string = account.name
output poolName string = pool.name
@description('The data-plane endpoint, as AZURE_BATCH_ACCOUNTS reads it: https://<account>.<region>.batch.azure.com.')
output endpoint string = 'https://${account.properties.accountEndpoint}'
