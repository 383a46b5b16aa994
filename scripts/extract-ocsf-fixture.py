#!/usr/bin/env python3
"""
Writes test/fixtures/ocsf/compliance-finding-<version>.json: what the OCSF schema requires of a
Compliance Finding (class 2003) and of the objects redis-compliance emits, read from a clone of
github.com/ocsf/ocsf-schema at a given commit. The test validator (test/unit/export/ocsf-validator.ts)
reads only that fixture, so CI needs no network.

usage: scripts/extract-ocsf-fixture.py <ocsf-schema git dir> <commit> > test/fixtures/ocsf/compliance-finding-1.8.0.json
"""
import json, subprocess, sys

git_dir, commit = sys.argv[1], sys.argv[2]

def load(path):
    out = subprocess.run(['git', '--git-dir', git_dir, 'show', f'{commit}:{path}'], check=True, capture_output=True, text=True).stdout
    return json.loads(out)

dictionary = load('dictionary.json')
version = load('version.json')['version']

def merge_attr(base, over):
    merged = dict(base)
    for k, v in over.items():
        if k == 'enum' and 'enum' in merged:
            merged['enum'] = {**merged['enum'], **v}
        else:
            merged[k] = v
    return merged

def attributes_of(doc, kind):
    attrs = {}
    parent = doc.get('extends')
    if parent and parent != 'object':
        attrs = attributes_of(load(f'{kind}/{parent}.json' if kind == 'objects' else find_event(parent)), kind)
    for inc in doc.get('attributes', {}).get('$include', []):
        profile = inc.split('/')[-1][:-len('.json')] if inc.startswith('profiles/') else None
        for k, v in load(inc).get('attributes', {}).items():
            attrs[k] = merge_attr(attrs.get(k, {}), {**v, 'profile': v.get('profile', profile)})
    for k, v in doc.get('attributes', {}).items():
        if k == '$include':
            continue
        attrs[k] = merge_attr(attrs.get(k, {}), v)
    return attrs

def find_event(name):
    return {'base_event': 'events/base_event.json', 'finding': 'events/findings/finding.json'}[name]

def resolve(attrs):
    out = {}
    for k, v in attrs.items():
        d = dictionary['attributes'].get(k, {})
        full = merge_attr(d, v)
        t = full.get('type')
        entry = {'requirement': full.get('requirement', 'optional'), 'type': t, 'is_array': bool(full.get('is_array'))}
        if full.get('profile'):
            # Only part of the event when that profile is applied (metadata.profiles).
            entry['profile'] = full['profile']
        if full.get('enum'):
            entry['enum'] = sorted(int(x) for x in full['enum'].keys())
        if full.get('@deprecated'):
            # An attribute the schema deprecates (and what to use instead): emitting it is a problem.
            entry['deprecated'] = {'since': full['@deprecated'].get('since'), 'message': full['@deprecated'].get('message')}
        out[k] = entry
    return out

def constraints_of(doc, kind):
    c = {}
    parent = doc.get('extends')
    if parent and parent != 'object':
        c.update(constraints_of(load(f'objects/{parent}.json'), kind))
    c.update(doc.get('constraints') or {})
    return c

cls = load('events/findings/compliance_finding.json')
finding = load('events/findings/finding.json')
category = load('categories.json')['attributes'][finding['category']]
class_attrs = resolve(attributes_of(cls, 'events'))
# base_event's class_uid / category_uid enums are placeholders the schema compiler replaces with
# the class's own values (class.uid, class.category_uid below).
for k in ('class_uid', 'category_uid'):
    class_attrs[k].pop('enum', None)
# The cloud profile (applied by redis-compliance: metadata.profiles ["cloud"]) makes `cloud` required.
cloud_profile = load('profiles/cloud.json')['attributes']

objects = {}
for name in ['metadata', 'product', 'finding_info', 'compliance', 'remediation', 'resource_details', 'cloud', 'account']:
    doc = load(f'objects/{name}.json')
    objects[name] = {'attributes': resolve(attributes_of(doc, 'objects')), 'constraints': constraints_of(doc, 'objects')}

types = {k: {kk: vv for kk, vv in v.items() if kk in ('type', 'regex')} for k, v in dictionary['types']['attributes'].items()}

json.dump({
    'source': f'github.com/ocsf/ocsf-schema commit {commit} (version.json {version})',
    'version': version,
    'class': {
        'name': cls['name'], 'caption': cls['caption'],
        'uid': category['uid'] * 1000 + cls['uid'], 'category_uid': category['uid'],
        'attributes': class_attrs,
        'profiles': {'cloud': {k: v.get('requirement', 'optional') for k, v in cloud_profile.items()}},
    },
    'objects': objects,
    'types': types,
}, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write('\n')
