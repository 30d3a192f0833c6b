// The PostgreSQL gateway: statement classification (classify/); the wire protocol comes next.
export * from './classify/index.ts'
