public import ArgumentParser
public import Analysis
public import Planner
public import Stats

// Library enums the command line takes as option values.
extension PValueAdjustment: ArgumentParser.ExpressibleByArgument {}
extension PlannerChoice: ArgumentParser.ExpressibleByArgument {}
extension WarehouseExperiment.Mode: ArgumentParser.ExpressibleByArgument {}
