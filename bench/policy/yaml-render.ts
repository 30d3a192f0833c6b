// Renders the generated rules as jitgate policy files: one shared file with the
// groups, classifications and masking profiles, one for the company-wide rules
// and one per team, the way a real policy repository would be laid out.
import { stringify } from 'yaml'
import { toCel } from './conditions.ts'
import type { BenchRule } from './rule-types.ts'
import type { World } from './world.ts'

export interface PolicyFile {
  readonly file: string
  readonly text: string
}

const yamlDoc = (value: unknown): string => stringify(value, { lineWidth: 0 })

function sharedFile(world: World): PolicyFile {
  const groups = Object.fromEntries(
    [...world.groups].map(([name, g]) => [
      name,
      { ...(g.users.length > 0 ? { users: g.users } : {}), idp_groups: g.idpGroups },
    ]),
  )
  const docs = [
    { kind: 'Groups', groups },
    {
      kind: 'Classifications',
      classifications: {
        'pii.email': {},
        'pii.phone': {},
        'pii.name': {},
        'pii.address': {},
        'pii.card': {},
      },
      fields: {
        'customers.email': 'pii.email',
        'customers.phone': 'pii.phone',
        'customers.name': 'pii.name',
        'addresses.street': 'pii.address',
        'payments.card': 'pii.card',
      },
    },
    {
      kind: 'MaskingProfile',
      name: 'standard',
      fields: {
        'pii.email': 'redact',
        'pii.phone': 'redact',
        'pii.card': { transform: 'partial', keep: 'card_last4' },
      },
      default: 'keep',
    },
    {
      kind: 'MaskingProfile',
      name: 'support',
      fields: {
        'pii.email': { transform: 'partial', keep: 'email_domain' },
        'pii.card': { transform: 'partial', keep_last: 4 },
      },
      default: 'keep',
    },
    {
      kind: 'MaskingProfile',
      name: 'analytics',
      fields: {
        'pii.email': { transform: 'pseudonym', purpose: 'analytics' },
        'pii.name': 'redact',
        'pii.address': { transform: 'generalize', to: 'postcode' },
      },
      default: 'keep',
    },
  ]
  return { file: 'shared.yaml', text: docs.map(yamlDoc).join('---\n') }
}

function ruleDoc(rule: BenchRule): Record<string, unknown> {
  const one = <T>(items: readonly T[]): T | readonly T[] => (items.length === 1 ? (items[0] as T) : items)
  return {
    name: rule.name,
    effect: rule.effect,
    match: {
      verbs: one(rule.verbs),
      ...(rule.resources === undefined ? {} : { resources: one(rule.resources) }),
    },
    ...(rule.when.length === 0 ? {} : { when: rule.when.map(toCel).join(' && ') }),
    ...(rule.message === undefined ? {} : { message: rule.message }),
    ...(rule.obligations === undefined ? {} : { obligations: rule.obligations }),
    ...(rule.approval === undefined ? {} : { approval: rule.approval }),
  }
}

/** Rules are grouped into files by the part of their name before the first dot. */
export function toPolicyFiles(world: World, rules: readonly BenchRule[]): PolicyFile[] {
  const byOwner = new Map<string, BenchRule[]>()
  for (const rule of rules) {
    const owner = rule.name.slice(0, rule.name.indexOf('.'))
    const list = byOwner.get(owner)
    if (list === undefined) byOwner.set(owner, [rule])
    else list.push(rule)
  }
  const files = [sharedFile(world)]
  for (const [owner, list] of byOwner) {
    const dir = owner === 'global' ? '' : 'teams/'
    files.push({
      file: `${dir}${owner}.yaml`,
      text: yamlDoc({ kind: 'Policy', name: owner, rules: list.map(ruleDoc) }),
    })
  }
  return files
}
