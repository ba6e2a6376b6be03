package realtools

// envPolicy has two environments of moto's account and Region; the
// groups and addresses differ between them as they do in life.
// TestTerraformApply applies each as a module instance of its own,
// through an aliased provider, as docs/environments.md wires a root
// module: each VPC then holds exactly its environment's rules and drift
// is clean; the modules' checks of account and Region pass (their data
// sources read moto's); and a third environment leaves the other two
// modules byte for byte as they were and the plan empty.
const envPolicy = `environment staging    "Staging"    account 123456789012 region us-east-1
environment production "Production" account 123456789012 region us-east-1

group web "Web servers"
group db "Databases"
group bastion "Bastion hosts" in staging
network office 203.0.113.0/24 "Head office"
network partner 198.51.100.0/24 "Partner API" in production
network vpc 10.81.0.0/16 "Staging VPC" in staging
network vpc 10.82.0.0/16 "Production VPC" in production

office  -> bastion tcp/22  because "engineers reach the bastion" in staging
bastion -> db      tcp/5432 because "engineers query the data" in staging
partner -> web     tcp/443 because "partner callbacks" in production
vpc     -> web     tcp/443 because "internal clients"
web     -> db      tcp/5432 because "the site reads its data"
never internet -> db because "the data stays inside"
never staging -> production because "an environment never reaches another"
`

// envProvider is one environment's aliased provider.
const envProvider = `provider "aws" {
  alias                       = %q
` + providerSettings + `}
`
