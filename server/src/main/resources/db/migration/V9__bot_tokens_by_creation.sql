-- Every node reads the bot tokens issued since its last look every 2 s (auth/BotTokens): by index, not by scan.
create index bot_tokens_by_creation on bot_tokens (created_at);
