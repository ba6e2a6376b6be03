# A configuration that manages security groups in every style found in the
# wild, before it moves to sgc.

variable "vpc_id" {
  type = string
}

# Inline rules: IPv4 and IPv6 in one block.
resource "aws_security_group" "lb" {
  name        = "lb"
  description = "Load balancer"
  vpc_id      = var.vpc_id

  ingress {
    description      = "clients over HTTPS"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_security_group" "app" {
  name        = "app"
  description = "Application servers"
  vpc_id      = var.vpc_id
}

# One AWS rule per resource, both halves of a group pair.
resource "aws_vpc_security_group_egress_rule" "lb_to_app" {
  security_group_id            = aws_security_group.lb.id
  description                  = "the LB forwards requests"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_vpc_security_group_ingress_rule" "app_from_lb" {
  security_group_id            = aws_security_group.app.id
  description                  = "the LB forwards requests"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.lb.id
}

# aws_security_group_rule: several CIDRs in one resource, no description.
resource "aws_security_group_rule" "app_out_https" {
  type              = "egress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.20.0.0/16", "10.30.0.0/16"]
}

# self, both halves.
resource "aws_security_group_rule" "app_gossip_in" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  description       = "cluster gossip"
  protocol          = "tcp"
  from_port         = 7000
  to_port           = 7000
  self              = true
}

resource "aws_security_group_rule" "app_gossip_out" {
  type              = "egress"
  security_group_id = aws_security_group.app.id
  description       = "cluster gossip"
  protocol          = "tcp"
  from_port         = 7000
  to_port           = 7000
  self              = true
}

# A prefix list.
resource "aws_security_group_rule" "app_s3" {
  type              = "egress"
  security_group_id = aws_security_group.app.id
  description       = "S3 gateway endpoint"
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_ids   = ["pl-63a5400a"]
}

# The egress half to a group of a module.
resource "aws_security_group_rule" "app_to_db" {
  type                     = "egress"
  security_group_id        = aws_security_group.app.id
  description              = "queries"
  protocol                 = "tcp"
  from_port                = 5432
  to_port                  = 5432
  source_security_group_id = module.db["main"].security_group_id
}

# A module called with for_each that holds other resources too.
module "db" {
  source      = "./dbmod"
  for_each    = { main = "Databases" }
  name        = "db"
  description = each.value
  vpc_id      = var.vpc_id
  clients     = aws_security_group.app.id
}

# A module called with count that holds only security groups, written as
# terraform-aws-modules/security-group writes them.
module "cache" {
  source  = "./cachemod"
  count   = 1
  name    = "cache"
  vpc_id  = var.vpc_id
}
