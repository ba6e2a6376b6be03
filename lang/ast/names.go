package ast

// Declared returns the name a statement declares in the namespace flows
// look in (a group, network, prefix list, external or service; a bad
// statement's, when it could be read), or nil.
func Declared(s Stmt) *Ident {
	switch s := s.(type) {
	case *GroupDecl:
		return s.Name
	case *NetworkDecl:
		return s.Name
	case *PrefixListDecl:
		return s.Name
	case *ExternalDecl:
		return s.Name
	case *ServiceDecl:
		return s.Name
	case *BadStmt:
		return s.Name
	}
	return nil
}

// Uses lists the names a statement uses: a flow's ends, the services its
// ports name (and a service's), an interface's groups, a never's named
// sides and exceptions.
func Uses(s Stmt) []*Ident {
	var out []*Ident
	ports := func(l *PortList) {
		if l == nil {
			return
		}
		for _, t := range l.Terms {
			if t.Kind == PortService && t.Name != nil {
				out = append(out, t.Name)
			}
		}
	}
	switch s := s.(type) {
	case *Flow:
		out = append(out, s.From, s.To)
		ports(s.Ports)
	case *ServiceDecl:
		ports(s.Ports)
	case *InterfaceDecl:
		out = append(out, s.Groups...)
	case *Never:
		for _, sel := range []*Selector{s.From, s.To} {
			if sel.Name != nil {
				out = append(out, sel.Name)
			}
		}
		out = append(out, s.Except...)
		ports(s.Ports)
	}
	return out
}
