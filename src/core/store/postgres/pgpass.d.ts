/** pgpass (node-postgres' own ~/.pgpass reader, libpq's rules): calls back with the password or undefined. */
declare module "pgpass" {
  function pgpass(connection: { host?: string; port?: number | string; database?: string; user?: string }, callback: (password: string | undefined) => void): void;
  export = pgpass;
}
