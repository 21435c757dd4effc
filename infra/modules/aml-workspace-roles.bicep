// The app's roles on an Azure Machine Learning workspace (deployed with scope: the workspace's resource group):
// AzureML Data Scientist to submit, read and cancel jobs and read their outputs, and AzureML Compute Operator to
// scale the AmlCompute clusters (resize, autoscale, idle scale-down), which Data Scientist may not.

param workspaceName string
param principalId string

var roles = {
  azureMlDataScientist: 'f6c7c914-8db3-469d-8ca1-694a8f32e121'
  azureMlComputeOperator: 'e503ece1-11d0-4e8e-8e2c-7a6c3bf38815'
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' existing = {
  name: workspaceName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(workspace.id, principalId, role.value)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

output name string = workspace.name
