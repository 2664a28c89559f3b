/**
 * Public API of the IR: entities, bodies, modules, the opcode table,
 * builder, printer, text parser, verifier and control-flow analysis.
 */
export * from "./entities.ts";
export { Effect, type Effects, isMergeable, isRemovable } from "./effects.ts";
export * from "./constant.ts";
export { FunctionBody } from "./function-body.ts";
export { cloneBody, copyBlocksInto, type CopyOptions } from "./clone.ts";
export { type Attribute, type ClassDecl, type IrFunction, LOX_IMPLICIT_PARAMS, Module } from "./module.ts";
export { type ImmKind, isContextOp, Op, type Opcode, opcodeByName, OPCODES, opInfo, type OpcodeInfo, type OpKey, type Raw } from "./opcodes.ts";
export { KIND_PREDICATES, LOX_KIND_NAMES, LoxKind, loxKindByName } from "./lox-kinds.ts";
export { branchFacts, constKinds, decideKinds, equalKinds, kindBits, KINDS, ON_NUMBERS, resultKinds } from "./kind-sets.ts";
export { FunctionBuilder } from "./builder.ts";
export { formatF64, formatInst, formatTerminator, printFunction, printModule, quote } from "./printer.ts";
export { IrParseError, parseModule } from "./text-parser.ts";
export { assertValid, verifyFunction, verifyModule, VerifyError } from "./verifier.ts";
export { ControlFlow, reachableBlocks } from "./cfg.ts";
export { parseTypeName, Type, typeName } from "./types.ts";
export { FuelExhausted, type InterpreterHost, IrInterpreter, Trap } from "./interpreter.ts";
export { Emitter } from "./emitter.ts";
