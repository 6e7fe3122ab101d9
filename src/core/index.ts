export * from "./bytes.js";
export * from "./canonical-json.js";
export * from "./clock.js";
export * from "./errors.js";
