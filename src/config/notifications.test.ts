import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from './load.js';
import { yaml } from './test-yaml.js';

function problems(text: string): string[] {
  const result = loadConfigFromString(text, 'vigil.yaml');
  if (result.ok) throw new Error('expected problems, the configuration loaded');
  return result.errors.map(formatProblem);
}

describe('notifications: resolved', () => {
  it('is absent when the file has no notifications section', () => {
    const result = loadConfigFromString('version: vigil/v1\n', 'vigil.yaml');
    expect(result.ok && result.config.notifications).toBeUndefined();
  });

  it('fills routing, minPriority and the PagerDuty endpoint', () => {
    const result = loadConfigFromString(
      yaml`
        version: vigil/v1
        notifications:
          externalUrl: https://vigil.bank.example/
          targets:
            - { name: oncall, type: pagerduty, routingKey: R0123456789abcdef0123456789abcdef, minPriority: P2 }
            - { name: payments-slack, type: slack, url: "https://hooks.slack.com/services/T0/B0/XYZ" }
            - { name: itsm, type: webhook, url: "http://itsm.internal:8080/hooks/vigil", minPriority: P4 }
          routing: { P3: page, P4: ticket }
      `,
      'vigil.yaml',
    );
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.notifications).toEqual({
      externalUrl: 'https://vigil.bank.example',
      targets: [
        {
          name: 'oncall',
          type: 'pagerduty',
          url: 'https://events.pagerduty.com/v2/enqueue',
          routingKey: 'R0123456789abcdef0123456789abcdef',
          minPriority: 'P2',
        },
        { name: 'payments-slack', type: 'slack', url: 'https://hooks.slack.com/services/T0/B0/XYZ', minPriority: 'P3' },
        { name: 'itsm', type: 'webhook', url: 'http://itsm.internal:8080/hooks/vigil', minPriority: 'P4' },
      ],
      routing: { P1: 'page', P2: 'page', P3: 'page', P4: 'ticket' },
    });
  });

  it('an empty section means no targets and the default routing', () => {
    const result = loadConfigFromString('version: vigil/v1\nnotifications: {}\n', 'vigil.yaml');
    expect(result.ok && result.config.notifications).toEqual({
      targets: [],
      routing: { P1: 'page', P2: 'page', P3: 'ticket', P4: 'none' },
    });
  });
});

describe('notifications: problems name file, line and column', () => {
  const cases: { name: string; text: string; expected: string[] }[] = [
    {
      name: 'slack without url',
      text: yaml`
        version: vigil/v1
        notifications:
          targets:
            - { name: ops, type: slack }
      `,
      expected: ['vigil.yaml:4:7: notifications.targets[0]: missing url; a slack target needs the incoming-webhook URL'],
    },
    {
      name: 'pagerduty without routingKey',
      text: yaml`
        version: vigil/v1
        notifications:
          targets:
            - name: oncall
              type: pagerduty
      `,
      expected: [
        'vigil.yaml:4:7: notifications.targets[0]: missing routingKey; a pagerduty target needs its Events API v2 integration key',
      ],
    },
    {
      name: 'routingKey on a webhook',
      text: yaml`
        version: vigil/v1
        notifications:
          targets:
            - { name: hook, type: webhook, url: "https://x.example/h", routingKey: abc }
      `,
      expected: ["vigil.yaml:4:64: notifications.targets[0].routingKey: routingKey applies only to type 'pagerduty'; remove it"],
    },
    {
      name: 'duplicate target names',
      text: yaml`
        version: vigil/v1
        notifications:
          targets:
            - { name: ops, type: webhook, url: "https://a.example/" }
            - { name: ops, type: webhook, url: "https://b.example/" }
      `,
      expected: ["vigil.yaml:5:15: notifications.targets[1].name: duplicate notification target 'ops' (first at line 4)"],
    },
    {
      name: 'unknown type, bad url, bad priority, bad routing',
      text: yaml`
        version: vigil/v1
        notifications:
          targets:
            - { name: ops, type: email, url: "ftp://x.example/", minPriority: P5 }
          routing: { P1: call }
      `,
      expected: [
        "vigil.yaml:4:26: notifications.targets[0].type: expected 'webhook', 'slack', 'pagerduty', 'teams' or 'opsgenie', got 'email'",
        "vigil.yaml:4:38: notifications.targets[0].url: expected an http:// or https:// URL, got 'ftp://x.example/'",
        "vigil.yaml:4:71: notifications.targets[0].minPriority: expected 'P1', 'P2', 'P3' or 'P4', got 'P5'",
        "vigil.yaml:5:18: notifications.routing.P1: expected 'page', 'ticket' or 'none', got 'call'",
      ],
    },
    {
      name: 'unknown key in a target',
      text: yaml`
        version: vigil/v1
        notifications:
          targets:
            - { name: ops, type: webhook, url: "https://a.example/", channel: "#ops" }
      `,
      expected: [
        "vigil.yaml:4:62: notifications.targets[0].channel: unknown key 'channel'; expected one of: name, type, url, routingKey, apiKey, minPriority, match",
      ],
    },
    {
      name: 'teams without url, opsgenie without apiKey, apiKey on slack',
      text: yaml`
        version: vigil/v1
        notifications:
          targets:
            - { name: ops-teams, type: teams }
            - { name: ops-genie, type: opsgenie }
            - { name: ops-slack, type: slack, url: "https://hooks.slack.com/x", apiKey: k }
      `,
      expected: [
        'vigil.yaml:4:7: notifications.targets[0]: missing url; a teams target needs the incoming-webhook URL',
        'vigil.yaml:5:7: notifications.targets[1]: missing apiKey; an opsgenie target needs the key of an API integration',
        "vigil.yaml:6:73: notifications.targets[2].apiKey: apiKey applies only to type 'opsgenie'; remove it",
      ],
    },
    {
      name: 'a match naming an unknown journey, a bad priority, an empty list and an unknown key',
      text: yaml`
        version: vigil/v1
        journeys:
          - name: mortgage
            tier: core
            steps: [{ name: apply }]
            slos: [{ name: success, sli: { kind: success }, objective: 99.9, window: 28d }]
        notifications:
          targets:
            - name: mortgages-teams
              type: teams
              url: https://bank.webhook.office.com/x
              match:
                journeys: [mortage]
                priorities: [P0]
                serviceOwners: []
                teams: [payments]
      `,
      expected: [
        "vigil.yaml:13:20: notifications.targets[0].match.journeys[0]: no journey is named 'mortage' (journeys: mortgage)",
        "vigil.yaml:14:22: notifications.targets[0].match.priorities[0]: expected 'P1', 'P2', 'P3' or 'P4', got 'P0'",
        'vigil.yaml:15:24: notifications.targets[0].match.serviceOwners: expected a list of service owners, got an empty list',
        "vigil.yaml:16:9: notifications.targets[0].match.teams: unknown key 'teams'; expected one of: priorities, journeys, journeyOwners, serviceOwners",
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(problems(c.text)).toEqual(c.expected);
    });
  }
});
