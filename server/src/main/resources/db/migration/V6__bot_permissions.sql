-- What a bot may do on its own initiative (issue 14, item 8): each off until its owner turns it on, so that a leaked
-- bot token cannot reach people who never chose to talk to the bot. Existing bots start with none, like new ones.
alter table accounts
    add column bot_may_open_directs boolean not null default false,
    add column bot_may_create_groups boolean not null default false,
    add column bot_may_join_groups boolean not null default false;
