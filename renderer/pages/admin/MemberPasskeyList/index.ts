export { MemberPasskeyList, type MemberPasskeyListProps } from './MemberPasskeyList.js';
