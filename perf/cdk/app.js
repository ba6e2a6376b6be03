// The CDK side of the comparison (perf/scale.sh): a lean CDK app that
// synthesizes the groups and rules of a policy (perf/gen -rules FILE)
// with L1 constructs, spread over stacks as sgc --split spreads them
// (group stacks of 200 with exported ids, rule stacks of 500 importing
// them), so that both sides produce the same resources.
//
//   node perf/cdk/app.js workload.json OUTDIR
'use strict';
const fs = require('fs');
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');

const [workloadPath, outdir] = process.argv.slice(2);
const w = JSON.parse(fs.readFileSync(workloadPath, 'utf8'));
// Lean: no version reporting, path metadata, tree metadata, bootstrap
// parameters or template validation (CDK_VALIDATION=false, which
// perf/scale.sh sets), only the templates.
const app = new cdk.App({
  outdir,
  analyticsReporting: false,
  treeMetadata: false,
  context: { 'aws:cdk:enable-path-metadata': false, 'aws:cdk:disable-version-reporting': true },
});
const synthesizer = () => new cdk.LegacyStackSynthesizer();
const ident = (s) => s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('');

const groupStack = {};
let stack = null;
w.groups.forEach((g, i) => {
  if (i % 200 === 0) {
    stack = new cdk.Stack(app, `groups-${i / 200 + 1}`, { synthesizer: synthesizer() });
    stack.vpc = new cdk.CfnParameter(stack, 'VpcId', { type: 'AWS::EC2::VPC::Id' });
  }
  const sg = new ec2.CfnSecurityGroup(stack, ident(g.name), {
    groupDescription: g.description,
    vpcId: stack.vpc.valueAsString,
    tags: [{ key: 'Name', value: g.name }],
  });
  new cdk.CfnOutput(stack, ident(g.name) + 'Id', { value: sg.attrGroupId, exportName: `${stack.stackName}-${g.name}` });
  groupStack[g.name] = stack.stackName;
});

const id = (name) => cdk.Fn.importValue(`${groupStack[name]}-${name}`);
w.rules.forEach((r, i) => {
  if (i % 500 === 0) stack = new cdk.Stack(app, `rules-${i / 500 + 1}`, { synthesizer: synthesizer() });
  const props = { groupId: id(r.group), ipProtocol: r.protocol, description: r.description };
  if (r.protocol !== '-1' && !/^[0-9]+$/.test(r.protocol)) { props.fromPort = r.from; props.toPort = r.to; }
  const v6 = r.cidr && r.cidr.includes(':');
  if (r.cidr) props[v6 ? 'cidrIpv6' : 'cidrIp'] = r.cidr;
  if (r.egress) {
    if (r.prefixList) props.destinationPrefixListId = r.prefixList;
    if (r.peerGroup) props.destinationSecurityGroupId = id(r.peerGroup);
    if (r.peerId) props.destinationSecurityGroupId = r.peerId;
    new ec2.CfnSecurityGroupEgress(stack, `R${i}`, props);
  } else {
    if (r.prefixList) props.sourcePrefixListId = r.prefixList;
    if (r.peerGroup) props.sourceSecurityGroupId = id(r.peerGroup);
    if (r.peerId) props.sourceSecurityGroupId = r.peerId;
    new ec2.CfnSecurityGroupIngress(stack, `R${i}`, props);
  }
});
app.synth();
