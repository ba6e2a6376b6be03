// Package realtools holds the tests that prove sgc's output with the tools
// users run, not with sgc's own read-back: cfn-lint on every CloudFormation
// template sgc can produce, and terraform apply of Terraform modules
// against an AWS emulator (moto_server), read back through the EC2 API,
// compared rule for rule with the model, and checked with drift.
//
// The tools are on the machine image; .ci/run sets SGC_REQUIRE_REALTOOLS,
// which turns a missing tool into a failure instead of a skip.
package realtools
