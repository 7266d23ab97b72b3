import Foundation
import SQLLogicTest

// Runs sqllogictest files in-process against SQLEngine, with the rules of shared/slt/run.py.
// Usage: slt [--list FILE] [--root DIR] [--list-failures] [--max-failures-shown N] [--by-folder] [--xfail FILE] PATH...
SLTCommand.main(Array(CommandLine.arguments.dropFirst()))
