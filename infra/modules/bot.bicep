// The Azure Bot: it signs in as the app's user-assigned managed identity (msaAppType UserAssignedMSI, app id =
// the identity's client id), sends activities to the `messages` function, and has the Teams channel, plus the
// Slack channel when a Slack app's client id is given.

param name string
param displayName string
param messagesEndpoint string
param identityId string
param identityClientId string
param tenantId string
@allowed(['F0', 'S1'])
param sku string
param tags object = {}
param slackClientId string = ''
@secure()
param slackClientSecret string = ''
@secure()
param slackSigningSecret string = ''

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: { name: sku }
  properties: {
    displayName: displayName
    endpoint: messagesEndpoint
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppTenantId: tenantId
    msaAppMSIResourceId: identityId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
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

output name string = bot.name
output slackEnabled bool = !empty(slackClientId)
