// The PostgreSQL gateway: statement classification (classify/) and the wire protocol (wire/).
export * from './classify/index.ts'
export * from './wire/index.ts'
