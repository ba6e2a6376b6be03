package compiler

// SortFlows is sortFlows, for TestSortFlowsIsCompareFlows.
var SortFlows = sortFlows
