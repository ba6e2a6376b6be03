# The same configuration after the move: its security group code is gone,
# the module db keeps what is not a security group, and sgc's module
# "sg" manages the groups.

variable "vpc_id" {
  type = string
}

module "db" {
  source   = "./dbmod"
  for_each = { main = "Databases" }
  name     = "db"
}

module "sg" {
  source = "./sg"
  vpc_id = var.vpc_id
}
