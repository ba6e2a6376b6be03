package cloudformation

// A template is built as a small tree of values with a fixed key order,
// then rendered as YAML (through yaml.Node, with the short-form intrinsic
// tags) or as JSON. Keeping one tree for both formats is what makes them
// say the same thing.

// object is a mapping whose keys keep the order they were set in.
type object struct {
	keys  []string
	vals  []any
	index map[string]int // position of each key, once there are many; nil before
}

// indexFrom is the size from which an object indexes its keys: most
// objects have a handful, which a scan finds faster than a map.
const indexFrom = 16

func obj() *object { return &object{} }

// objN returns an empty object with room for n keys.
func objN(n int) *object {
	return &object{keys: make([]string, 0, n), vals: make([]any, 0, n)}
}

func (o *object) find(key string) int {
	if o.index == nil && len(o.keys) >= indexFrom {
		o.reindex()
	}
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// set adds or replaces key and returns o, for chaining.
func (o *object) set(key string, v any) *object {
	if i := o.find(key); i >= 0 {
		o.vals[i] = v
		return o
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	switch {
	case o.index != nil:
		o.index[key] = len(o.keys) - 1
	case len(o.keys) >= indexFrom:
		o.reindex()
	}
	return o
}

func (o *object) reindex() {
	o.index = make(map[string]int, 2*len(o.keys))
	for i, k := range o.keys {
		o.index[k] = i
	}
}

// add appends key, which the caller knows is not in o yet (a rule's
// resource name, unique by construction): no lookup, and the index, if
// any, is rebuilt only when a lookup needs it.
func (o *object) add(key string, v any) {
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	o.index = nil
}

func (o *object) get(key string) any {
	if i := o.find(key); i >= 0 {
		return o.vals[i]
	}
	return nil
}

// Intrinsic functions. Each renders as a short-form tag in YAML and as
// {"Fn::...": ...} in JSON.
type (
	ref       struct{ name string }           // !Ref name
	getAtt    struct{ resource, attr string } // !GetAtt resource.attr
	sub       struct{ text string }           // !Sub text
	importVal struct{ name any }              // Fn::ImportValue: name (long form: it may hold a !Sub)
)
