package compiler

// SortFlows is sortFlows, for TestSortFlowsIsCompareFlows.
var SortFlows = sortFlows

// ResolveFlowsInOrder makes Compile resolve every flow in statement
// order, as it did before flows were resolved side by side, until the
// returned function is called.
func ResolveFlowsInOrder() (restore func()) {
	sequentialFlows = true
	return func() { sequentialFlows = false }
}
