// One role for the app's identity on an Azure Batch account (deployed with scope: the account's resource group).

param batchAccountName string
param principalId string
param roleDefinitionId string

resource account 'Microsoft.Batch/batchAccounts@2024-02-01' existing = {
  name: batchAccountName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, roleDefinitionId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
