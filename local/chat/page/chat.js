// The local chat page: talks to the chat server (same origin), renders the bot's Adaptive Cards with the
// adaptivecards browser bundle and the Teams host config (light or dark; markdown.js renders their Markdown),
// or a Slack conversation's Block Kit (slack-blocks.js), sends button presses back as `value`, and long-polls
// for new and updated activities (replies, alerts, cards updated in place). Conversation, user, channel and
// theme come from the URL hash (#conversation=..&user=..&channel=..&theme=..), else localStorage, else defaults.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const list = $('activities');
  const status = $('status');
  const hash = new URLSearchParams(location.hash.slice(1));
  const setting = (name, dflt) => hash.get(name) || localStorage.getItem('chat.' + name) || dflt;
  const state = {
    conversation: setting('conversation', 'local'),
    user: setting('user', 'you'),
    channel: setting('channel', 'webchat'),
    theme: setting('theme', 'light'),
    hostConfigs: {},
    last: 0,
    generation: 0, // bumps when the conversation changes, so a stale long-poll's answer is dropped
    nodes: new Map(),
    pending: null,
  };

  const SETTINGS = ['conversation', 'user', 'channel', 'theme'];

  function remember() {
    for (const name of SETTINGS) {
      localStorage.setItem('chat.' + name, state[name]);
      $(name).value = state[name];
    }
    history.replaceState(null, '', '#' + new URLSearchParams(SETTINGS.map((name) => [name, state[name]])));
    document.body.classList.toggle('dark', state.theme === 'dark');
  }

  function api(path) {
    return '/api/conversations/' + encodeURIComponent(state.conversation) + path;
  }

  async function send(body) {
    status.textContent = 'sending…';
    try {
      const res = await fetch(api('/messages'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          Object.assign({ user: { id: state.user, name: state.user }, channel: state.channel }, body),
        ),
      });
      const answer = await res.json();
      status.textContent = res.ok ? '' : answer.error?.message || 'HTTP ' + res.status;
    } catch (e) {
      status.textContent = 'chat server unreachable: ' + e.message;
    }
  }

  function renderCard(content) {
    const holder = document.createElement('div');
    holder.className = 'card';
    try {
      const card = new AdaptiveCards.AdaptiveCard();
      const hostConfig = state.hostConfigs[state.theme];
      if (hostConfig) card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
      card.parse(content);
      card.onExecuteAction = (action) => {
        if (action instanceof AdaptiveCards.OpenUrlAction) {
          window.open(action.url, '_blank', 'noopener');
        } else if (action instanceof AdaptiveCards.SubmitAction || action instanceof AdaptiveCards.ExecuteAction) {
          // As Web Chat: the button's data becomes the message's value; the text stays empty.
          const data = typeof action.data === 'object' && action.data !== null ? action.data : { data: action.data };
          send({
            value: action instanceof AdaptiveCards.ExecuteAction ? Object.assign({ verb: action.verb }, data) : data,
          });
        }
      };
      const rendered = card.render();
      if (rendered) holder.appendChild(rendered);
    } catch (e) {
      holder.className = 'card card-error';
      holder.textContent = 'Could not render this card: ' + e.message;
    }
    return holder;
  }

  function renderActivity(activity, updated) {
    const fromUser = activity.from && activity.from.role === 'user';
    const node = document.createElement('div');
    node.className = 'activity ' + (fromUser ? 'user' : 'bot');
    // The chat server marks what the bot sent outside a user's turn: an alert.
    if (activity.proactive) node.classList.add('alert');
    // A user's message is replaced only to add its timing: not an update worth saying.
    if (updated && !fromUser) node.classList.add('updated');
    node.dataset.id = activity.id;
    const meta = document.createElement('div');
    meta.className = 'meta';
    const when = activity.timestamp ? new Date(activity.timestamp).toLocaleTimeString() : '';
    meta.textContent = ((activity.from && (activity.from.name || activity.from.id)) || '?') + ' · ' + when;
    // How long the bot took to acknowledge this message (its HTTP answer) and to reply: measured by the chat server.
    const timing = fromUser && activity.timing;
    if (timing && typeof timing.ackMs === 'number') {
      const figure = document.createElement('span');
      figure.className = 'timing';
      figure.textContent =
        ' · ack ' +
        timing.ackMs +
        ' ms' +
        (typeof timing.answerMs === 'number' ? ' · answer ' + timing.answerMs + ' ms' : '');
      meta.appendChild(figure);
    }
    node.appendChild(meta);
    const blocks =
      activity.channelData && Array.isArray(activity.channelData.blocks) ? activity.channelData.blocks : null;
    // With blocks, Slack shows them and keeps the text for notifications only.
    const shown =
      (!blocks && activity.text) || (fromUser && activity.value?.command ? '▸ ' + activity.value.command : '');
    if (shown) {
      const text = document.createElement('div');
      text.className = 'text';
      text.textContent = shown;
      node.appendChild(text);
    }
    if (blocks) node.appendChild(renderSlackBlocks(blocks, (command) => send({ value: { command: command } })));
    for (const att of activity.attachments || []) {
      if (att.contentType === 'application/vnd.microsoft.card.adaptive') node.appendChild(renderCard(att.content));
      else {
        const other = document.createElement('div');
        other.textContent = '[' + (att.name || att.contentType) + ']';
        node.appendChild(other);
      }
    }
    return node;
  }

  function show(activities) {
    for (const activity of activities) {
      if (activity.type !== 'message') continue;
      const existing = state.nodes.get(activity.id);
      const node = renderActivity(activity, Boolean(existing));
      if (existing) existing.replaceWith(node);
      else list.appendChild(node);
      state.nodes.set(activity.id, node);
      if (!existing) node.scrollIntoView({ block: 'end' });
    }
  }

  async function poll() {
    for (;;) {
      const generation = state.generation;
      state.pending = new AbortController();
      try {
        const res = await fetch(api('/activities?wait=25&after=' + state.last), { signal: state.pending.signal });
        const body = await res.json();
        if (generation !== state.generation) continue;
        if (!res.ok) throw new Error(body.error?.message || 'HTTP ' + res.status);
        state.last = body.last;
        show(body.activities);
        if (status.textContent.startsWith('chat server')) status.textContent = '';
      } catch {
        if (generation !== state.generation) continue; // aborted by a conversation switch
        status.textContent = 'chat server unreachable, retrying…';
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  function switchTo(conversation, user) {
    state.conversation = conversation || state.conversation;
    state.user = user || state.user;
    rerender();
  }

  /** Shows the conversation again from its start (after a switch of conversation or theme). */
  function rerender() {
    state.last = 0;
    state.generation++;
    if (state.pending) state.pending.abort();
    state.nodes.clear();
    list.replaceChildren();
    remember();
  }

  $('send').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    send({ text: text });
  });
  $('conversation').addEventListener('change', (ev) => switchTo(ev.target.value.trim(), null));
  $('user').addEventListener('change', (ev) => {
    state.user = ev.target.value.trim() || state.user;
    remember();
  });
  // The channel applies to what is sent from now on: the bot answers each message in its channel's format.
  $('channel').addEventListener('change', (ev) => {
    state.channel = ev.target.value;
    remember();
  });
  $('theme').addEventListener('change', (ev) => {
    state.theme = ev.target.value;
    rerender();
  });
  window.addEventListener('hashchange', () => {
    const h = new URLSearchParams(location.hash.slice(1));
    const changed = SETTINGS.filter((name) => h.get(name) && h.get(name) !== state[name]);
    if (changed.length === 0) return;
    for (const name of changed) state[name] = h.get(name);
    rerender();
  });

  /** The Teams host configs, as the Adaptive Cards designer publishes them; without them cards use the defaults. */
  async function loadHostConfigs() {
    for (const theme of ['light', 'dark']) {
      try {
        const res = await fetch('/host-configs/teams-' + theme + '.json');
        if (res.ok) state.hostConfigs[theme] = await res.json();
      } catch (e) {
        status.textContent = 'host config ' + theme + ' not loaded: ' + e.message;
      }
    }
  }

  remember();
  loadHostConfigs().then(poll);
})();
