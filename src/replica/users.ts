/**
 * The replica's users. The demo user is public and documented (README): it is the default login
 * for `--env local`, so a local run needs no set-up. It exists only inside the replica.
 */
export interface ReplicaUser {
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  institute: string;
  uid: number;
}

export const DEMO_USER: ReplicaUser = {
  username: 'perfpulse-demo',
  password: 'demo-password-not-secret',
  firstName: 'Demo',
  lastName: 'Observer',
  email: 'demo@replica.invalid',
  institute: 'perfpulse replica',
  uid: 20001,
};

export const USERS: readonly ReplicaUser[] = [DEMO_USER];

export function findUser(username: string, password: string): ReplicaUser | undefined {
  return USERS.find((u) => u.username === username && u.password === password);
}
