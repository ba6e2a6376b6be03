"""Helper of the realtools tests: prepares and reads the AWS emulator.

  python3 moto.py setup ENDPOINT < spec.json    # {"policy": ["external", ...]}
  python3 moto.py describe ENDPOINT             # describe-security-groups, and the AWS-managed prefix lists
  python3 moto.py prefix-lists ENDPOINT         # {name: id} of the AWS-managed lists
  python3 moto.py describe-with-rules ENDPOINT  # describe-security-groups and describe-security-group-rules
  python3 moto.py cfn-deploy ENDPOINT < spec.json  # {"stack", "template", "vpc"}: create the stack,
                                                # print {"template": get-template, "resources": describe-stack-resources}

setup makes a VPC per policy and, in it, a stand-in group per external
group the policy names (their ids replace the policy's), and prints
{"policy": {"vpc": id, "externals": {name: id}}}.
"""
import json
import sys

import boto3

ec2 = boto3.client("ec2", endpoint_url=sys.argv[2], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")

if sys.argv[1] == "setup":
    spec = json.load(sys.stdin)
    out = {}
    for i, name in enumerate(sorted(spec)):
        vpc = ec2.create_vpc(CidrBlock="10.%d.0.0/16" % (i % 250))["Vpc"]["VpcId"]
        ids = {}
        for ext in spec[name]:
            ids[ext] = ec2.create_security_group(
                GroupName="stand-in-" + ext, Description="stand-in for external " + ext, VpcId=vpc)["GroupId"]
        out[name] = {"vpc": vpc, "externals": ids}
    json.dump(out, sys.stdout)
elif sys.argv[1] == "describe":
    groups = []
    for page in ec2.get_paginator("describe_security_groups").paginate():
        groups += page["SecurityGroups"]
    lists = ec2.describe_managed_prefix_lists(Filters=[{"Name": "owner-id", "Values": ["AWS"]}])["PrefixLists"]
    json.dump({"SecurityGroups": groups, "PrefixLists": lists}, sys.stdout, default=str)
elif sys.argv[1] == "describe-with-rules":
    groups, rules = [], []
    for page in ec2.get_paginator("describe_security_groups").paginate():
        groups += page["SecurityGroups"]
    for page in ec2.get_paginator("describe_security_group_rules").paginate():
        rules += page["SecurityGroupRules"]
    json.dump({"SecurityGroups": groups, "SecurityGroupRules": rules}, sys.stdout, default=str)
elif sys.argv[1] == "cfn-deploy":
    spec = json.load(sys.stdin)
    cfn = boto3.client("cloudformation", endpoint_url=sys.argv[2], region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    cfn.create_stack(StackName=spec["stack"], TemplateBody=spec["template"],
                     Parameters=[{"ParameterKey": "VpcId", "ParameterValue": spec["vpc"]}])
    template = cfn.get_template(StackName=spec["stack"])
    template.pop("ResponseMetadata", None)
    resources = cfn.describe_stack_resources(StackName=spec["stack"])
    resources.pop("ResponseMetadata", None)
    json.dump({"template": template, "resources": resources}, sys.stdout, default=str)
elif sys.argv[1] == "prefix-lists":
    lists = ec2.describe_managed_prefix_lists(Filters=[{"Name": "owner-id", "Values": ["AWS"]}])["PrefixLists"]
    json.dump({l["PrefixListName"]: l["PrefixListId"] for l in lists}, sys.stdout)
else:
    sys.exit("unknown command " + sys.argv[1])
