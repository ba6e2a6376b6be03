variable "name" {
  type = string
}

variable "description" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "clients" {
  type = string
}

resource "terraform_data" "marker" {
  input = var.name
}

resource "aws_security_group" "this" {
  count       = 1
  name        = var.name
  description = var.description
  vpc_id      = var.vpc_id
}

resource "aws_security_group_rule" "ingress_with_source_security_group_id" {
  count                    = 1
  type                     = "ingress"
  security_group_id        = aws_security_group.this[0].id
  description              = "queries"
  protocol                 = "tcp"
  from_port                = 5432
  to_port                  = 5432
  source_security_group_id = var.clients
}

output "security_group_id" {
  value = aws_security_group.this[0].id
}
