variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "ingress_rules" {
  type = list(object({ port = number, cidrs = list(string), ipv6 = list(string), description = string }))
  default = [
    { port = 6379, cidrs = ["10.20.0.0/16", "10.30.0.0/16"], ipv6 = ["fd00:20::/32"], description = "cache clients" },
  ]
}

resource "aws_security_group" "this" {
  count       = 1
  name        = var.name
  description = "Cache"
  vpc_id      = var.vpc_id
}

resource "aws_security_group_rule" "ingress_rules" {
  count             = length(var.ingress_rules)
  type              = "ingress"
  security_group_id = aws_security_group.this[0].id
  description       = var.ingress_rules[count.index].description
  protocol          = "tcp"
  from_port         = var.ingress_rules[count.index].port
  to_port           = var.ingress_rules[count.index].port
  cidr_blocks       = var.ingress_rules[count.index].cidrs
  ipv6_cidr_blocks  = var.ingress_rules[count.index].ipv6
}
