import type { Target } from "./target.js";

/** Module names on firmware before 1.19: the u-prefixed builtins (plain names are only weak links on some ports). */
export const uPrefixedModules: Target["modules"] = {
  socket: "usocket",
  ssl: "ussl",
  hashlib: "uhashlib",
  binascii: "ubinascii",
  os: "uos",
  json: "ujson",
  time: "utime",
};

/** Module names from firmware 1.19 on, where the plain names are the builtins. */
export const plainModules: Target["modules"] = {
  socket: "socket",
  ssl: "ssl",
  hashlib: "hashlib",
  binascii: "binascii",
  os: "os",
  json: "json",
  time: "time",
};
